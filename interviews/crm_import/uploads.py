"""Uploaded CRM files waiting between the preview and the confirmation, under
var/imports/, named by a random id.

A file goes when its import is confirmed or cancelled; previews nobody confirmed are
removed by the daily `delete_stale_imports` job once a day old (their signed ticket is
valid for an hour), so customer data does not pile up on disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.utils import timezone

MAX_AGE = dt.timedelta(days=1)
_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def folder() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path(upload_id: str) -> Path:
    # The id comes back from a signed ticket; checked anyway, as it names a file.
    if not _ID.match(upload_id):
        raise FileNotFoundError(upload_id)
    return folder() / f"{upload_id}.csv"


def save(data: bytes) -> str:
    upload_id = secrets.token_urlsafe(16)
    path = _path(upload_id)
    path.write_bytes(data)
    # Stamped with the app's clock, which the age is measured against.
    stamp = timezone.now().timestamp()
    os.utime(path, (stamp, stamp))
    return upload_id


def read(upload_id: str) -> bytes:
    return _path(upload_id).read_bytes()


def discard(upload_id: str) -> None:
    with contextlib.suppress(FileNotFoundError):  # an id that names no upload
        _path(upload_id).unlink(missing_ok=True)


def delete_stale(now: dt.datetime | None = None) -> int:
    """Remove uploads older than MAX_AGE; returns how many. Safe to run at any time."""
    cutoff = ((now or timezone.now()) - MAX_AGE).timestamp()
    removed = 0
    for path in folder().glob("*.csv"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed meanwhile by a confirmation or another run
            continue
    return removed
