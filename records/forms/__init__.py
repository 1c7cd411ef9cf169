"""The staff pages' forms, one module per job."""

from records.forms.common import (
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    WHEN_INVALID,
    DateTimeLocalInput,
    not_in_future,
)
from records.forms.concerns import (
    CONCERN_ACTIONS,
    ConcernActionForm,
    ConcernCloseForm,
    ConcernForm,
    ConcernLinkForm,
)
from records.forms.entries import (
    AddendumForm,
    AmendForm,
    AttachmentForm,
    CategoryQuestionsMixin,
    RecordForm,
    ReturnForm,
    SignOffForm,
    attachment_help,
    question_field,
)
from records.forms.lists import (
    ChildFilterForm,
    ChildSearchForm,
    CorrectionDecisionForm,
)

__all__ = [
    "AddendumForm",
    "AmendForm",
    "AttachmentForm",
    "CONCERN_ACTIONS",
    "CategoryQuestionsMixin",
    "ChildFilterForm",
    "ChildSearchForm",
    "ConcernActionForm",
    "ConcernCloseForm",
    "ConcernForm",
    "ConcernLinkForm",
    "CorrectionDecisionForm",
    "DATETIME_INPUT_FORMATS",
    "DATE_INPUT_FORMATS",
    "DateTimeLocalInput",
    "RecordForm",
    "ReturnForm",
    "SignOffForm",
    "WHEN_INVALID",
    "attachment_help",
    "not_in_future",
    "question_field",
]
