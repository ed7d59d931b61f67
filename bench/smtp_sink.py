"""A local SMTP sink in a process of its own, as a real mail server would be: it accepts
every message on 127.0.0.1 and counts them, without competing with the sender for the
Python interpreter lock (the in-process sink of the tests would be measured with it)."""

from __future__ import annotations

import multiprocessing
import socket
import threading
from multiprocessing.sharedctypes import Synchronized


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Counter:
    def __init__(self, received: Synchronized, complete: Synchronized) -> None:
        self.received = received
        self.complete = complete

    async def handle_DATA(self, server, session, envelope):
        with self.received.get_lock():
            self.received.value += 1
        # Each email carries a text and an HTML part.
        if b"multipart/alternative" in envelope.content and b"text/html" in envelope.content:
            with self.complete.get_lock():
                self.complete.value += 1
        return "250 OK"


def _serve(port: int, received: Synchronized, complete: Synchronized, ready) -> None:
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(_Counter(received, complete), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()  # until the parent terminates this process


class SinkProcess:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.port = _free_port()
        self._received = context.Value("i", 0)
        self._complete = context.Value("i", 0)
        self._ready = context.Event()
        self._process = context.Process(
            target=_serve,
            args=(self.port, self._received, self._complete, self._ready),
            daemon=True,
        )

    def __enter__(self) -> SinkProcess:
        self._process.start()
        if not self._ready.wait(timeout=30):
            raise RuntimeError("the SMTP sink did not start")
        return self

    def __exit__(self, *exc) -> None:
        self._process.terminate()
        self._process.join(timeout=10)

    @property
    def received(self) -> int:
        return self._received.value

    @property
    def complete(self) -> int:
        return self._complete.value
