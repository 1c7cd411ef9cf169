"""Settings of the benchmark's own server (``make bench``), and of nothing else.

Confide's settings, read from the environment as in production (the benchmark sets DEBUG off,
its own generated keys, ALLOWED_HOSTS and no HTTPS redirect), plus: the twin's URL (bench.urls),
a query counter (bench.middleware), static files collected into var/bench/static, and cookies
that are not marked Secure, so that the benchmark can sign in over plain HTTP on the loopback.
"""

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
