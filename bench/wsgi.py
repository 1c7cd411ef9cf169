"""The benchmark server's application: Confide with bench.settings, and the twin's snapshot.

The snapshot (what the record page shows, decrypted once) is taken as each server process
starts, from BENCH_TWIN_RECORD and BENCH_TWIN_USERS, and kept in that process's memory only.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

application = get_wsgi_application()

from bench import twin  # noqa: E402 - the models need the application (above) first

twin.load_from_environment()
