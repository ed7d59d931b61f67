"""Requests shaped as Slack sends them (block_actions, view_submission), signed as Slack
signs them: v0=HMAC-SHA256(signing secret, "v0:<timestamp>:<body>")."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

from django.test import Client

from interviews.models import InterviewRequest
from tests.slack_app.conftest import SIGNING_SECRET

INTERACTIVITY = "/slack/interactivity/"


def post_signed(
    body: bytes,
    *,
    path: str = INTERACTIVITY,
    secret: str = SIGNING_SECRET,
    at: float | None = None,
    retry: int | None = None,
    client: Client | None = None,
    content_type: str = "application/x-www-form-urlencoded",
):
    timestamp = str(int(time.time() if at is None else at))
    base = f"v0:{timestamp}:".encode() + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}
    if retry is not None:
        headers["X-Slack-Retry-Num"] = str(retry)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return (client or Client()).post(path, data=body, content_type=content_type, headers=headers)


def form_body(payload: dict) -> bytes:
    """Any payload as Slack posts it: form-encoded under `payload`."""
    return urlencode({"payload": json.dumps(payload)}).encode()


def _user(slack_id: str) -> dict:
    return {"id": slack_id, "username": slack_id.lower(), "name": slack_id.lower(), "team_id": "T1"}


def click(
    request: InterviewRequest,
    answer: str,
    *,
    user: str = "U0SALES",
    version: int | None = None,
    action_ts: str = "1764464400.000100",
) -> bytes:
    """A click on one of the four answer buttons of a direct message."""
    channel = "D" + user[1:]
    return form_body(
        {
            "type": "block_actions",
            "user": _user(user),
            "api_app_id": "A0RELAY",
            "token": "deprecated-verification-token",
            "container": {
                "type": "message",
                "message_ts": "1700000000.000001",
                "channel_id": channel,
                "is_ephemeral": False,
            },
            "trigger_id": "1111.2222.abcdef",
            "team": {"id": "T1", "domain": "acme"},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel, "name": "directmessage"},
            "message": {"type": "message", "ts": "1700000000.000001", "text": "…"},
            "response_url": "https://hooks.slack.com/actions/T1/1/abc",
            "actions": [
                {
                    "action_id": f"answer:{answer}",
                    "block_id": f"answers:{request.pk}",
                    "text": {"type": "plain_text", "text": answer},
                    "value": json.dumps(
                        {"r": request.pk, "v": request.version if version is None else version}
                    ),
                    "type": "button",
                    "action_ts": action_ts,
                }
            ],
        }
    )


def submit(
    request: InterviewRequest,
    answer: str,
    *,
    values: dict,
    user: str = "U0SALES",
    version: int | None = None,
) -> bytes:
    """Submitting the "not now" or "decline" modal. `values` maps block id to its value:
    until (YYYY-MM-DD), reason_category, reason."""
    state = {}
    for block, value in values.items():
        if block.endswith("until"):  # until, pause_account_until: date pickers
            element = {"type": "datepicker", "selected_date": value}
        elif block == "reason_category":
            element = {
                "type": "static_select",
                "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value},
            }
        else:
            element = {"type": "plain_text_input", "value": value}
        state[block] = {block: element}
    return form_body(
        {
            "type": "view_submission",
            "team": {"id": "T1", "domain": "acme"},
            "user": _user(user),
            "api_app_id": "A0RELAY",
            "token": "deprecated-verification-token",
            "trigger_id": "3333.4444.abcdef",
            "view": {
                "id": "V0MODAL",
                "team_id": "T1",
                "type": "modal",
                "callback_id": f"answer:{answer}",
                "private_metadata": json.dumps(
                    {"r": request.pk, "v": request.version if version is None else version}
                ),
                "state": {"values": state},
                "hash": "1700000000.abcdef",
            },
            "response_urls": [],
        }
    )
