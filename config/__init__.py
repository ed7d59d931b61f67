# Importing the Celery app here makes `@shared_task` bind to it whenever Django starts
# (web, worker, management commands), so tasks always use our configuration.
from .celery import app as celery_app

__all__ = ("celery_app",)
