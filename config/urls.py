from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("access.urls")),
    path("admin/", admin.site.urls),
    path("portal/", include("records.portal_urls")),
    path("", include("audit.urls")),
    path("", include("records.urls")),
]
