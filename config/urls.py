from django.contrib import admin
from django.urls import include, path

from access.urls import auth_urlpatterns

urlpatterns = [
    path("accounts/", include(auth_urlpatterns)),
    path("admin/", admin.site.urls),
    path("portal/", include("portal.urls")),
    path("", include("portal.staff_urls")),
    path("", include("access.urls")),
    path("", include("records.urls")),
]
