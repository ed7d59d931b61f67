"""Text for Slack: its mrkdwn reads `<…>` as a link, a mention (`<@U…>`) or a broadcast
(`<!channel>`), and `&` as the start of one of those escapes. Anything a person typed (a
topic, a name, an account from the CRM, a finding) is escaped before it goes into a
message, so it shows as typed and never pings a channel or dresses up a link."""

from __future__ import annotations

from typing import Any


def escape(text: Any) -> str:
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
