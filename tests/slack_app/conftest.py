from __future__ import annotations

import pytest

from tests.slack_api import SlackApi

BOT_TOKEN = "xoxb-111-222-secrettokenvalue"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
def slack(settings, sales, manager):
    """The app installed, Slack's Web API a local server; Sato Sales and Mori Manager have
    Slack accounts matched by email."""
    with SlackApi() as api:
        settings.SLACK_BOT_TOKEN = BOT_TOKEN
        settings.SLACK_SIGNING_SECRET = SIGNING_SECRET
        settings.SLACK_API_URL = api.url
        api.people = {sales.email: "U0SALES", manager.email: "U0MANAGER"}
        for person, slack_id in ((sales, "U0SALES"), (manager, "U0MANAGER")):
            person.slack_user_id = slack_id
            person.language = "en"
            person.save()
        yield api
