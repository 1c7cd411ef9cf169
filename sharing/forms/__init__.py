"""The sharing app's forms, one module per job."""

from sharing.forms.consents import (
    ConfirmConsentForm,
    ConsentForm,
    PortalConsentForm,
    PortalWithdrawForm,
    WithdrawConsentForm,
)
from sharing.forms.disclosures import ApproveForm, DisclosureForm, SentForm
from sharing.forms.log import ExportForm, LogFilterForm
from sharing.forms.recipients import RecipientForm
from sharing.forms.requests import DecideForm, RequestForm

__all__ = [
    "ApproveForm",
    "ConfirmConsentForm",
    "ConsentForm",
    "DecideForm",
    "DisclosureForm",
    "ExportForm",
    "LogFilterForm",
    "PortalConsentForm",
    "PortalWithdrawForm",
    "RecipientForm",
    "RequestForm",
    "SentForm",
    "WithdrawConsentForm",
]
