"""Settings for a Celery worker process started by a test (tests/worker_process.py).

The project's settings, read from the environment as always (DATABASE_URL names the
test database, REDIS_URL the test's own Redis), plus a queue of the test's own and an
email backend that writes files and can block mid-batch.
"""

import os

from config.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.blocking_mail.BlockingFileBackend"
CELERY_TASK_DEFAULT_QUEUE = os.environ["RELIABILITY_QUEUE"]
