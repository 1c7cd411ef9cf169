"""The benchmark server's URLs: Confide's own, plus the record page's unprotected twin.

Only bench.settings names this URLconf; config.urls (production) has no twin.
"""

from django.urls import URLPattern, URLResolver, path

from bench.twin import record_twin
from config import urls as confide_urls

TWIN_PREFIX = "bench-twin/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(f"{TWIN_PREFIX}records/<uuid:record_id>/", record_twin, name="bench_record_twin"),
    *confide_urls.urlpatterns,
]
