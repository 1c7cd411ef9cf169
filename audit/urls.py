from django.urls import path

from audit import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("children/<uuid:child_id>/history/", views.access_history, name="access_history"),
    path("me/activity/", views.my_activity, name="my_activity"),
]
