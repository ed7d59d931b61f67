from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interview requests")

    def ready(self) -> None:
        # Register the Celery tasks in every process (web, commands, worker): the workflow
        # asks for delivery by task name, and Celery only autodiscovers in the worker.
        from interviews import tasks  # noqa: F401
