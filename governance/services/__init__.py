"""Writes of the policy register, acknowledgements, parents' notices, induction and training."""

from governance.services.acknowledgements import (
    acknowledgement_remind,
    parent_notices_seen,
    policy_acknowledge,
)
from governance.services.induction import (
    induction_tick,
    training_record_add,
)
from governance.services.policies import (
    policy_create,
    policy_file_store,
    version_adopt_sign,
    version_adopt_with_copy,
    version_draft,
)

__all__ = [
    "acknowledgement_remind",
    "induction_tick",
    "parent_notices_seen",
    "policy_acknowledge",
    "policy_create",
    "policy_file_store",
    "training_record_add",
    "version_adopt_sign",
    "version_adopt_with_copy",
    "version_draft",
]
