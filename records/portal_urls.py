from django.urls import path

from records import portal_views as views

urlpatterns = [
    path("", views.portal_home, name="portal_home"),
    path("welcome/<str:token>/", views.portal_welcome, name="portal_welcome"),
    path("children/<uuid:child_id>/", views.portal_child, name="portal_child"),
    path("children/<uuid:child_id>/send/", views.portal_send, name="portal_send"),
    path("children/<uuid:child_id>/correction/", views.portal_correction, name="portal_correction"),
    path("children/<uuid:child_id>/history/", views.portal_history, name="portal_history"),
    path("children/<uuid:child_id>/file.pdf", views.portal_file_pdf, name="portal_file_pdf"),
    path("records/<uuid:record_id>/", views.portal_record, name="portal_record"),
    path("records/<uuid:record_id>/comment/", views.portal_record_comment, name="portal_record_comment"),
    path("attachments/<uuid:attachment_id>/", views.portal_attachment, name="portal_attachment"),
]
