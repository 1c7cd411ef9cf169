import hashlib

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from access.urls import auth_urlpatterns
from config.health import HealthView


def admin_path() -> str:
    """ADMIN_URL; without it, "admin/" with DEBUG or in local mode, and in production a path
    derived from SECRET_KEY that nobody can guess (config/sign_in_settings.py)."""
    if settings.ADMIN_URL:
        return str(settings.ADMIN_URL)
    if not settings.HTTPS_ONLY:  # DEBUG or local mode, as the process started
        return "admin/"
    return f"admin-{hashlib.sha256(f'confide.admin|{settings.SECRET_KEY}'.encode()).hexdigest()[:16]}/"


urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/", include(auth_urlpatterns)),
    # For monitors: "ok" or "unavailable", nothing else (config/health.py).
    path(settings.HEALTH_CHECK_URL, HealthView.as_view(), name="health"),
    path(admin_path(), admin.site.urls),
    path("portal/", include("portal.urls")),
    path("", include("portal.staff_urls")),
    path("", include("access.urls")),
    path("", include("sharing.urls")),
    path("", include("governance.urls")),
    path("", include("records.urls")),
]
