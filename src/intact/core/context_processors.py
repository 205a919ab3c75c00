from django.conf import settings
from django.http import HttpRequest


def intact(request: HttpRequest) -> dict:
    return {"INTACT_VERSION": __import__("intact").__version__, "LANGUAGES": settings.LANGUAGES}
