"""An SMTP sink in a process of its own that writes one JSON line per message as it
arrives (when, Message-ID, In-Reply-To, kind), for the end-to-end latency. Imports nothing
of Django: the process is spawned and must not set up the app."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Recorder:
    def __init__(self, path: str) -> None:
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        import email

        message = email.message_from_bytes(envelope.content)
        line = json.dumps(
            {
                "t": time.time(),
                "id": message.get("Message-ID", ""),
                "reply_to": message.get("In-Reply-To", ""),
                "kind": message.get("X-Interview-Relay-Kind", ""),
            }
        )
        with open(self.path, "a", encoding="utf-8") as file:
            file.write(line + "\n")
        return "250 OK"


def _serve(port: int, path: str, ready) -> None:
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    Controller(_Recorder(path), hostname="127.0.0.1", port=port).start()
    ready.set()
    threading.Event().wait()


@contextlib.contextmanager
def sink(path: Path) -> Iterator[int]:
    context = multiprocessing.get_context("spawn")
    port, ready = _free_port(), context.Event()
    process = context.Process(target=_serve, args=(port, str(path), ready), daemon=True)
    process.start()
    try:
        if not ready.wait(30):
            raise RuntimeError("the SMTP sink did not start")
        yield port
    finally:
        process.terminate()
        process.join(10)


_REQUEST = re.compile(r"<request-(\d+)@")


def arrivals(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for row in rows:
        match = _REQUEST.search(row["reply_to"])
        row["request"] = int(match.group(1)) if match else None
    return rows
