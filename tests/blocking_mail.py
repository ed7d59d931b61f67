"""An email backend for a worker process that a test kills mid-batch.

Each message becomes one file in RELIABILITY_MAIL_DIR (written atomically, so a kill
never leaves half a message). After RELIABILITY_BLOCK_AFTER messages it creates the file
`blocked` and then waits for a file that never appears: the worker is stuck inside the
batch, with no transaction open, until the test kills it. Nothing here sleeps for a
fixed time; the test waits for the marker.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

MARKER = "blocked"
RELEASE = "release"  # never created by the tests: the worker waits until it is killed


def _directory() -> Path:
    return Path(os.environ["RELIABILITY_MAIL_DIR"])


def delivered_files(directory: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(directory.glob("*.json"))]


class BlockingFileBackend(BaseEmailBackend):
    def send_messages(self, messages) -> int:
        directory = _directory()
        block_after = int(os.environ.get("RELIABILITY_BLOCK_AFTER", "-1"))
        for message in messages:
            if 0 <= block_after <= len(list(directory.glob("*.json"))):
                (directory / MARKER).touch()
                while not (directory / RELEASE).exists():
                    time.sleep(0.05)
            record = {
                "to": message.to,
                "subject": message.subject,
                "kind": message.extra_headers.get("X-Interview-Relay-Kind", ""),
            }
            name = uuid.uuid4().hex
            tmp = directory / f"{name}.tmp"
            tmp.write_text(json.dumps(record))
            tmp.rename(directory / f"{name}.json")
        return len(messages)
