from django.conf import settings
from django.http import HttpRequest


def dev_tools(request: HttpRequest) -> dict[str, bool]:
    return {"debug_mailbox": settings.DEBUG}
