"""The logging settings, imported by config/settings.py.

Application logs carry identifiers, never personal data; error reports
e-mailed to admins would carry request data, so there are none. Every handler
masks what looks personal in any record (e-mail addresses, mail errors...:
config/log_filters.py); a request for a host this site does not serve is one
line, not a traceback.
"""

from typing import Any


def logging_settings(*, level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "personal_data": {"()": "config.log_filters.PersonalDataFilter"},
            "one_line": {"()": "config.log_filters.WithoutTraceback"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's records go through the same handler, once (Django's own defaults would
            # print them unfiltered with DEBUG on, and mail them to ADMINS, of whom there are none).
            "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "django.request": {"level": "ERROR"},
            "django.security.DisallowedHost": {"filters": ["one_line"], "level": "ERROR"},
        },
    }
