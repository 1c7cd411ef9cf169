#!/usr/bin/env python
import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # In a developer's checkout, `python manage.py …` works without sourcing
    # var/dev.env first; an environment that sets any key itself is left alone.
    from config.devkeys import load_if_unconfigured

    load_if_unconfigured(Path(__file__).resolve().parent / "var" / "dev.env", os.environ)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
