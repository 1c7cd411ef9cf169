from django.urls import path

from records import views

urlpatterns = [
    path("", views.home, name="home"),
    path("children/", views.children, name="children"),
    path("children/<uuid:child_id>/", views.child_file, name="child_file"),
    path("attachments/<uuid:attachment_id>/", views.attachment_download, name="attachment_download"),
]
