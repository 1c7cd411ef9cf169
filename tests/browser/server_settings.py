"""
Settings for the server the browser tests drive.

The process starts with DEBUG=1, so that it accepts the development keys and
serves static files and plain-HTTP cookies, then turns DEBUG off: people see
the application's own error pages (404.html, 500.html), not Django's debug
pages, and the tests check those pages too.
"""

from config.settings import *  # noqa: F403

DEBUG = False
# With DEBUG off, WhiteNoise serves only collected files unless told to look
# in the static folders directly; nothing is collected for a test run.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
