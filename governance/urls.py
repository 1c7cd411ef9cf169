from django.urls import URLPattern, URLResolver, path

from governance.views import people, policies

urlpatterns: list[URLPattern | URLResolver] = [
    path("policies/", policies.policies, name="policies"),
    path("policies/to-read/", policies.policies_to_read, name="policies_to_read"),
    path("policies/new/", policies.policy_new, name="policy_new"),
    path("policies/<uuid:policy_id>/", policies.policy_detail, name="policy_detail"),
    path("policies/<uuid:policy_id>/versions/new/", policies.version_new, name="version_new"),
    path("policies/versions/<uuid:version_id>/", policies.policy_read, name="policy_read"),
    path("policies/versions/<uuid:version_id>/adopt/", policies.version_adopt, name="version_adopt"),
    path("policies/versions/<uuid:version_id>/remind/", policies.policy_remind, name="policy_remind"),
    path("policies/files/<uuid:file_id>/", policies.policy_file, name="policy_file"),
    path("staff/<uuid:staff_member_id>/induction/", people.induction, name="induction"),
    path("staff/<uuid:staff_member_id>/induction/tick/", people.induction_tick, name="induction_tick"),
    path("staff/<uuid:staff_member_id>/training/", people.training_add, name="training_add"),
]
