import datetime

from django.http import HttpRequest

def get_cool_off_threshold(request: HttpRequest | None = ...) -> datetime.datetime: ...
