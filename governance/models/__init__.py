"""The governance app's models: the policy register and acknowledgements, induction and training."""

from governance.models.people import (
    TRAINING_REQUIRED,
    TRAINING_VALID_MONTHS,
    InductionItem,
    InductionTick,
    TrainingKind,
    TrainingRecord,
)
from governance.models.policies import (
    Acknowledgement,
    AdoptingBody,
    ParentNoticeSeen,
    Policy,
    PolicyFile,
    PolicyKind,
    PolicyRequirement,
    PolicyVersion,
)

__all__ = [
    "TRAINING_REQUIRED",
    "TRAINING_VALID_MONTHS",
    "Acknowledgement",
    "AdoptingBody",
    "InductionItem",
    "InductionTick",
    "ParentNoticeSeen",
    "Policy",
    "PolicyFile",
    "PolicyKind",
    "PolicyRequirement",
    "PolicyVersion",
    "TrainingKind",
    "TrainingRecord",
]
