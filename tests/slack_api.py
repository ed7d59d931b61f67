"""A local HTTP server standing in for Slack's Web API (`SLACK_API_URL` points at it):
records every call and answers as Slack documents, or with the failure a test chooses."""

from __future__ import annotations

import itertools
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class SlackApi:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.tokens: list[str] = []
        # email → Slack user id, for users.lookupByEmail
        self.people: dict[str, str] = {}
        # method → (HTTP status, body) to answer instead of success
        self.failures: dict[str, tuple[int, dict]] = {}
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str, params: dict) -> None:
                with api._lock:
                    api.tokens.append(self.headers.get("Authorization", ""))
                    failure = api.failures.get(method)
                    if failure is None:
                        api.calls.append((method, params))
                        status, body = 200, api._success(method, params)
                    else:
                        status, body = failure
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    params = json.loads(raw or b"{}")
                else:
                    params = dict(urllib.parse.parse_qsl(raw.decode()))
                self._answer(self.path.rsplit("/", 1)[-1].split("?")[0], params)

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                self._answer(url.path.rsplit("/", 1)[-1], dict(urllib.parse.parse_qsl(url.query)))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _success(self, method: str, params: dict) -> dict:
        if method == "users.lookupByEmail":
            user_id = self.people.get(params.get("email", ""))
            if user_id is None:
                return {"ok": False, "error": "users_not_found"}
            return {"ok": True, "user": {"id": user_id, "deleted": False, "is_bot": False}}
        if method == "chat.postMessage":
            channel = params.get("channel", "")
            # A message to a user id lands in the app's DM channel with them.
            dm = "D" + channel[1:] if channel.startswith("U") else channel
            return {"ok": True, "channel": dm, "ts": f"1700000000.{next(self._ts):06d}"}
        if method == "chat.update":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}
        if method == "views.open":
            return {"ok": True, "view": {"id": "V1"}}
        return {"ok": True}

    def of(self, method: str) -> list[dict]:
        return [params for name, params in self.calls if name == method]

    def __enter__(self) -> SlackApi:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
