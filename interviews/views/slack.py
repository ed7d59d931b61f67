"""Slack's requests to us: button clicks and modal submissions (interactivity) and events.

Every request is checked against SLACK_SIGNING_SECRET with the SDK's SignatureVerifier,
which also refuses a timestamp more than 5 minutes away from our clock (a replay); CSRF
does not apply (Slack cannot send our token) and the signature takes its place. A body
already handled (Slack's retries carry X-Slack-Retry-Num and the same body) is
acknowledged and does nothing.

A click resolves who (the Slack user's matched person) and which request at which version
(the button's value), then calls the same workflow function as the email links. The
answer itself is one short transaction; everything that talks to Slack afterwards (the
messages updated in place, ephemeral replies) goes through the outbox or a Celery task,
so Slack gets its acknowledgement well within its 3 seconds. Opening a modal is the one
call made before answering, because Slack's trigger id is only valid for 3 seconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from slack_sdk.signature import SignatureVerifier

from accounts.models import User
from interviews import permissions, workflow
from interviews.errors import InvalidInput, NotAllowed, WorkflowError
from interviews.forms.decisions import DECISION_FUNCTIONS
from interviews.models import InterviewRequest, Status
from interviews.notifications import slack_api, slack_dm

log = logging.getLogger(__name__)

# How long a handled body is remembered: longer than Slack's retries (about an hour at
# most for events) and than the 5 minutes a signature is accepted.
_SEEN_SECONDS = 2 * 60 * 60


def _verified(request: HttpRequest) -> bool:
    if not settings.SLACK_SIGNING_SECRET:
        return False
    verifier = SignatureVerifier(settings.SLACK_SIGNING_SECRET)
    try:
        return verifier.is_valid(
            request.body,
            request.headers.get("X-Slack-Request-Timestamp"),
            request.headers.get("X-Slack-Signature"),
        )
    except ValueError:  # a timestamp that is not a number
        return False


def _first_time(body: bytes) -> bool:
    """True once per body: a retry or a replay of a handled request changes nothing.

    With the cache down we go on: the version in every button still stops a second
    answer; only a second "too late" reply could follow."""
    try:
        return cache.add(f"slack:handled:{hashlib.sha256(body).hexdigest()}", 1, _SEEN_SECONDS)
    except Exception:
        log.warning("Cache unavailable: a repeated Slack request cannot be recognised")
        return True


def _object(value: Any) -> dict[str, Any]:
    """A part of Slack's payload that should be an object. The body is signed, so it is
    Slack's, but a shape we do not expect is ignored rather than answered with a 500
    (which Slack retries and shows the person as an error)."""
    return value if isinstance(value, dict) else {}


def _person(payload: dict[str, Any]) -> User | None:
    slack_id = str(_object(payload.get("user")).get("id") or "")
    if not slack_id:
        return None
    return User.objects.filter(slack_user_id=slack_id, is_active=True).first()


def _load(request_id: int) -> InterviewRequest | None:
    return (
        InterviewRequest.objects.select_related("account", "owner", "requested_by")
        .filter(pk=request_id)
        .first()
    )


def _stale_text(interview: InterviewRequest) -> str:
    return _(
        "This request changed since this message was sent; it is now “%(status)s”. "
        "Nothing was changed."
    ) % {"status": interview.get_status_display()}


def _refusal_text() -> str:
    return _("Only the request's owner or a manager can answer it. Nothing was changed.")


def _unknown_person_text() -> str:
    return _(
        "Your Slack account is not linked to anyone in Interview Relay (people are matched "
        "by email address). Nothing was changed."
    )


@csrf_exempt  # Slack cannot send our CSRF token: the signature check takes its place
@require_POST
def interactivity(request: HttpRequest) -> HttpResponse:
    if not _verified(request):
        return HttpResponse(status=401)
    try:
        payload = json.loads(request.POST.get("payload", ""))
    except ValueError:
        return HttpResponse(status=400)
    if not isinstance(payload, dict):
        return HttpResponse(status=400)
    if not _first_time(request.body):
        return HttpResponse(status=200)
    kind = payload.get("type")
    if kind == "block_actions":
        _block_action(payload)
        return HttpResponse(status=200)
    if kind == "view_submission":
        return _view_submission(payload)
    return HttpResponse(status=200)


# --- Buttons -----------------------------------------------------------------------------


class _Reply:
    """Ephemeral replies to the person who clicked, in their language, after the ack."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.channel = str(_object(payload.get("channel")).get("id") or "")
        self.user = str(_object(payload.get("user")).get("id") or "")

    def __call__(self, text: str) -> None:
        if self.channel and self.user:
            slack_api.reply_later(channel=self.channel, user=self.user, text=text)


def _block_action(payload: dict[str, Any]) -> None:
    actions = payload.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        return
    action_id = str(actions[0].get("action_id") or "")
    answer = action_id.removeprefix(slack_dm.ACTION_PREFIX)
    is_answer = action_id.startswith(slack_dm.ACTION_PREFIX) and answer in slack_dm.ANSWERS
    if not is_answer and action_id != slack_dm.NOTE_ACTION:
        return  # a link button, or something we never sent
    target = slack_dm.read_button_value(str(actions[0].get("value") or ""))
    reply = _Reply(payload)
    person = _person(payload)
    if person is None:
        reply(_unknown_person_text())
        return
    with translation.override(person.language):
        interview = _load(target[0]) if target else None
        if interview is None:
            reply(_("This interview request no longer exists. Nothing was changed."))
            return
        if not permissions.can_decide(person, interview):
            reply(_refusal_text())
            return
        version = target[1]
        if action_id == slack_dm.NOTE_ACTION:
            _open_note(payload, interview, person, reply)
            return
        if answer in slack_dm.MODAL_ACTIONS:
            _open_modal(payload, answer, interview, person, version, reply)
            return
        try:
            DECISION_FUNCTIONS[answer](request_id=interview.pk, by=person, expected_version=version)
        except NotAllowed:
            reply(_refusal_text())
        except WorkflowError:
            # Someone, or the deadline, got there first: nothing was changed.
            reply(_stale_text(_load(interview.pk) or interview))


def _open_view(payload: dict[str, Any], view: dict, reply: _Reply) -> None:
    try:
        slack_api.call(
            "views.open",
            timeout=slack_api.MODAL_TIMEOUT_SECONDS,
            trigger_id=str(payload.get("trigger_id") or ""),
            view=view,
        )
    except (slack_api.SlackRejected, OSError) as exc:
        log.warning("Could not open the Slack modal: %s", exc)
        reply(_("Slack could not open the form; please try again, or answer from the email."))


def _open_note(
    payload: dict[str, Any], interview: InterviewRequest, person: User, reply: _Reply
) -> None:
    if not permissions.can_comment(person, interview):
        reply(_refusal_text())
        return
    _open_view(payload, slack_dm.note_modal(interview, language=person.language), reply)


def _open_modal(
    payload: dict[str, Any],
    answer: str,
    interview: InterviewRequest,
    person: User,
    version: int,
    reply: _Reply,
) -> None:
    if interview.version != version or interview.status != Status.AWAITING_OWNER:
        reply(_stale_text(interview))
        return
    view = slack_dm.answer_modal(
        answer, interview, language=person.language, deferral_range=workflow.deferral_range()
    )
    _open_view(payload, view, reply)


# --- Modals ------------------------------------------------------------------------------


def _selected(values: dict[str, Any], block: str) -> Any:
    element = _object(_object(values.get(block)).get(block))
    if "selected_date" in element:
        return element["selected_date"]
    if "selected_option" in element:
        return _object(element["selected_option"]).get("value")
    return element.get("value")


def _answer_kwargs(action: str, values: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "reason_category": str(_selected(values, "reason_category") or ""),
        "reason": str(_selected(values, "reason") or ""),
    }
    if action == "defer":
        kwargs["until"] = _date(_selected(values, "until"))  # None: "Please give a date."
    elif _selected(values, "pause_account_until"):
        kwargs["pause_account_until"] = _date(_selected(values, "pause_account_until"))
    return kwargs


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        return None


def _view_submission(payload: dict[str, Any]) -> HttpResponse:
    view = _object(payload.get("view"))
    action = str(view.get("callback_id") or "").removeprefix(slack_dm.MODAL_CALLBACK_PREFIX)
    target = slack_dm.read_button_value(str(view.get("private_metadata") or ""))
    if target is None:
        return HttpResponse(status=200)
    if view.get("callback_id") == slack_dm.NOTE_ACTION:
        return _note_submission(payload, view, target[0])
    if action not in slack_dm.MODAL_ACTIONS:
        return HttpResponse(status=200)
    person = _person(payload)
    if person is None:
        return _notice(_("Not linked"), _unknown_person_text())
    with translation.override(person.language):
        interview = _load(target[0])
        if interview is None:
            return _notice(_("Nothing changed"), _("This interview request no longer exists."))
        if not permissions.can_decide(person, interview):
            return _notice(_("Not allowed"), _refusal_text())
        values = _object(_object(view.get("state")).get("values"))
        try:
            DECISION_FUNCTIONS[action](
                request_id=interview.pk,
                by=person,
                expected_version=target[1],
                **_answer_kwargs(action, values),
            )
        except InvalidInput as error:
            fields = ("until", "reason_category", "reason", "pause_account_until")
            block = error.field if error.field in fields else None
            return JsonResponse(
                {"response_action": "errors", "errors": {block or "reason": str(error)}}
            )
        except NotAllowed:
            return _notice(_("Not allowed"), _refusal_text())
        except WorkflowError:
            return _notice(_("Nothing changed"), _stale_text(_load(interview.pk) or interview))
    return JsonResponse({"response_action": "clear"})


def _note_submission(
    payload: dict[str, Any], view: dict[str, Any], request_id: int
) -> HttpResponse:
    person = _person(payload)
    if person is None:
        return _notice(_("Not linked"), _unknown_person_text())
    values = _object(_object(view.get("state")).get("values"))
    with translation.override(person.language):
        try:
            workflow.comment_add(
                request_id=request_id, by=person, body=str(_selected(values, "body") or "")
            )
        except InvalidInput as error:
            return JsonResponse({"response_action": "errors", "errors": {"body": str(error)}})
        except NotAllowed:
            return _notice(_("Not allowed"), _refusal_text())
        except WorkflowError as error:
            return _notice(_("Nothing changed"), str(error))
    return JsonResponse({"response_action": "clear"})


def _notice(title: str, text: str) -> JsonResponse:
    return JsonResponse({"response_action": "update", "view": slack_dm.notice_modal(title, text)})


# --- Events ------------------------------------------------------------------------------


@csrf_exempt  # signed by Slack instead
@require_POST
def events(request: HttpRequest) -> HttpResponse:
    """The Events API: the URL check when the app is set up, and the workspace removing
    the app (logged for the operator; messages then fail visibly in the outbox)."""
    if not _verified(request):
        return HttpResponse(status=401)
    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponse(status=400)
    if not isinstance(payload, dict):
        return HttpResponse(status=400)
    if payload.get("type") == "url_verification":
        return JsonResponse({"challenge": str(payload.get("challenge") or "")})
    if _first_time(request.body):
        kind = str(_object(payload.get("event")).get("type") or "")
        if kind in ("app_uninstalled", "tokens_revoked"):
            log.warning(
                "Slack reports %s for team %s: remove SLACK_BOT_TOKEN or reinstall the app.",
                kind,
                payload.get("team_id"),
            )
    return HttpResponse(status=200)
