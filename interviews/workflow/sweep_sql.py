"""The sweeps' batches as PostgreSQL statements: the deadline switch, the wake-ups and the
reminders each write one batch in one statement, with no model object built in Python.

At 100,000 due requests, building and bulk-inserting hundreds of thousands of objects was
most of a sweep's time. Each statement updates the locked rows, inserts their events from
the updated rows and the outbox rows from those (the emails, the Slack direct messages
people chose in their place or beside them, the team channels' posts and the refreshes of
Slack messages already posted), and returns the outbox ids for the after-commit send.

- The switch claims its rows in the statement itself (FOR UPDATE SKIP LOCKED): the claim
  is the ORM's own query for the shared rule (`overdue_q`), so the per-request path and
  this one cannot drift apart.
- The wake-ups and the reminders need the business calendar (a new window, the next
  reminder time), which lives in Python: their rows are claimed first (the same ORM query,
  SKIP LOCKED, reading only the ids and the one column the calendar depends on), the
  calendar consulted once per distinct value, and the statement writes the batch from the
  ids and those few values.

PostgreSQL only (data-modifying WITH); `system` keeps the ORM form of each batch for other
databases, writing the same rows (the tests run both and compare).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection

from accounts.models import NotifyVia, User
from interviews.lifecycle import CLEARED_DEADLINES
from interviews.models import (
    Channel,
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    Outreach,
    RequestEvent,
    SlackMessage,
    Status,
)
from interviews.workflow.slack_direct import DIRECT_MESSAGE_KINDS

# The outbox rows of a batch, from `mail` (the emails, as the ORM path would queue them:
# recipient_id, kind, request_id, event_id, payload, unique_key) and `slack` (team channel
# posts and Slack refreshes, never doubled): each email a person wants in Slack gets its
# Slack twin, or gives way to it (`slack_direct.with_direct_messages`, in SQL).
_OUTBOX = """
prefs AS (
    SELECT u.id, u.notify_via FROM {users} u
    WHERE %(direct_messages)s AND u.is_active AND u.slack_user_id <> ''
          AND u.notify_via <> %(via_email)s
),
outbox AS (
    INSERT INTO {notifications}
        (recipient_id, kind, channel, request_id, event_id, payload, unique_key, status,
         attempts, next_attempt_at, last_error, created_at)
    SELECT recipient_id, kind, channel, request_id, event_id, payload, unique_key,
           %(pending)s, 0, %(now)s, '', %(now)s
    FROM (
        SELECT m.recipient_id, m.kind, %(email)s AS channel, m.request_id, m.event_id,
               m.payload, m.unique_key
        FROM mail m
        LEFT JOIN prefs p ON p.id = m.recipient_id AND m.kind = ANY(%(dm_kinds)s)
        WHERE p.notify_via IS DISTINCT FROM %(via_slack)s
        UNION ALL
        SELECT m.recipient_id, m.kind, %(slack_dm)s, m.request_id, m.event_id, m.payload,
               left('dm:' || m.unique_key, 200)
        FROM mail m
        JOIN prefs p ON p.id = m.recipient_id AND m.kind = ANY(%(dm_kinds)s)
        UNION ALL
        SELECT recipient_id, kind, channel, request_id, event_id, '{{}}'::jsonb, unique_key
        FROM slack
    ) AS queued
    RETURNING id
)
"""

# After a change, a refresh for each request that has Slack messages or one on its way
# (`slack_direct.refresh_rows`): `changed` holds id, version, owner_id.
_REFRESHES = """
SELECT c.owner_id AS recipient_id, %(refresh)s::varchar AS kind,
       %(slack_dm)s::varchar AS channel, c.id AS request_id, NULL::bigint AS event_id,
       'slack_refresh:' || c.id || ':' || c.version AS unique_key
FROM changed c
WHERE %(bot)s AND (
    EXISTS (SELECT 1 FROM {slack_messages} sm WHERE sm.request_id = c.id)
    OR EXISTS (
        SELECT 1 FROM {notifications} n
        WHERE n.request_id = c.id AND n.channel = %(slack_dm)s
          AND n.status IN (%(pending)s, %(sending)s) AND n.kind <> %(refresh)s
    )
)
"""

# The team channels of each request's marketer and owner (`team_channels.notifications_for`):
# a manager with a webhook, or a channel where the app is installed.
_TEAM_POSTS = """
SELECT DISTINCT m.id AS recipient_id, %(team_kind)s::varchar AS kind,
       %(slack)s::varchar AS channel, c.id AS request_id, c.event_id,
       'slack:' || %(team_kind)s || ':' || c.id || ':' || c.version || ':' || m.id
           AS unique_key
FROM changed c
CROSS JOIN LATERAL (VALUES (c.requested_by_id), (c.owner_id)) AS person(id)
JOIN {users} u ON u.id = person.id
JOIN {users} m ON m.id = u.reports_to_id
WHERE m.is_active AND (m.slack_webhook_url <> '' OR (%(bot)s AND m.slack_channel_id <> ''))
"""

_SWITCH = """
WITH due AS ({due}),
switched AS (
    UPDATE {requests} AS r
    SET status = %(to)s, outreach_by = %(outreach_by)s, escalated = TRUE,
        version = r.version + 1, updated_at = %(now)s, status_changed_at = %(now)s,
        {cleared}
    FROM due WHERE r.id = due.id
    -- Each row's event id drawn here, so the emails below name their event without
    -- joining the two sets (CTEs have no statistics: a join of them risks a nested loop).
    RETURNING r.id, r.version, due.status AS was, due.owner_id, due.requested_by_id,
              due.response_due_at,
              nextval(pg_get_serial_sequence(%(events_table)s, 'id')) AS event_id
),
events AS (
    INSERT INTO {events}
        (id, request_id, actor_id, kind, from_status, to_status, version, details,
         created_at)
    SELECT event_id, id, NULL, %(event_kind)s, was, %(to)s, version,
           jsonb_build_object('was', was, 'deadline', {deadline}), %(now)s
    FROM switched
),
changed AS (SELECT * FROM switched),
mail AS (
    SELECT who.recipient_id, who.kind, s.id AS request_id, s.event_id,
           jsonb_build_object('was', s.was) AS payload,
           who.kind || ':' || s.id || ':' || s.version || ':' || who.recipient_id AS unique_key
    FROM switched s
    CROSS JOIN LATERAL (VALUES (%(to_owner)s::varchar, s.owner_id),
                               (%(to_marketer)s::varchar, s.requested_by_id))
        AS who(kind, recipient_id)
),
slack AS ({team_posts} UNION ALL {refreshes}),
{outbox}
-- The switched rows, then the outbox ids, each once (an array of every id on every row
-- would grow with the square of the batch).
SELECT id, version, requested_by_id, owner_id, event_id FROM switched
UNION ALL
SELECT id, NULL, NULL, NULL, NULL FROM outbox
"""

_WAKE = """
WITH due AS (
    SELECT * FROM unnest(%(ids)s::bigint[], %(windows)s::int[]) AS due(id, window_index)
),
window_ AS (
    SELECT * FROM unnest(%(starts)s::timestamptz[], %(deadlines)s::timestamptz[],
                         %(reminders)s::timestamptz[], %(deadline_texts)s::text[])
        WITH ORDINALITY AS w(started_at, response_due_at, next_reminder_at, deadline_text, i)
),
woken AS (
    UPDATE {requests} AS r
    SET status = %(to)s, version = r.version + 1, deferred_until = NULL, wake_at = NULL,
        updated_at = %(now)s, status_changed_at = %(now)s,
        window_started_at = w.started_at, response_due_at = w.response_due_at,
        reminders_sent = 0, next_reminder_at = w.next_reminder_at
    FROM due JOIN window_ w ON w.i = due.window_index,
         {requests} AS was
    WHERE r.id = due.id AND was.id = due.id
    RETURNING r.id, r.version, r.owner_id, was.status AS was, was.deferred_until,
              w.deadline_text,
              nextval(pg_get_serial_sequence(%(events_table)s, 'id')) AS event_id
),
events AS (
    INSERT INTO {events}
        (id, request_id, actor_id, kind, from_status, to_status, version, details,
         created_at)
    SELECT event_id, id, NULL, %(event_kind)s, was, %(to)s, version,
           jsonb_build_object('deferred_until', deferred_until,
                              'response_due_at', deadline_text),
           %(now)s
    FROM woken
),
changed AS (SELECT * FROM woken),
mail AS (
    SELECT w.owner_id AS recipient_id, %(woke)s::varchar AS kind, w.id AS request_id,
           w.event_id, '{{}}'::jsonb AS payload,
           %(woke)s || ':' || w.id || ':' || w.version || ':' || w.owner_id AS unique_key
    FROM woken w
),
slack AS ({refreshes}),
{outbox}
SELECT id FROM outbox
"""

_REMIND = """
WITH candidates AS (
    SELECT * FROM unnest(%(deadlines)s::timestamptz[], %(times)s::timestamptz[])
        AS c(deadline, at)
),
-- The claimed rows as they were, each with its next reminder time
-- (`calendar.next_reminder_after`: the first of its deadline's times after both the
-- window's start and now).
due AS (
    SELECT was.id, was.status, was.version, was.owner_id, was.reminders_sent,
           was.response_due_at, was.next_reminder_at,
           (SELECT min(c.at) FROM candidates c
            WHERE c.deadline = was.response_due_at AND c.at > was.window_started_at
                  AND c.at > %(now)s) AS following
    FROM {requests} AS was
    WHERE was.id = ANY(%(ids)s::bigint[])
),
reminded AS (
    UPDATE {requests} AS r
    SET next_reminder_at = due.following, reminders_sent = r.reminders_sent + 1
    FROM due WHERE r.id = due.id
),
events AS (
    INSERT INTO {events}
        (request_id, actor_id, kind, from_status, to_status, version, details, created_at)
    SELECT id, NULL, %(event_kind)s, status, status, version,
           jsonb_build_object('reminder', reminders_sent + 1, 'deadline', {deadline}),
           %(now)s
    FROM due
),
-- One email per owner listing their requests of the batch, soonest deadline first (then
-- in the claim's order), keyed by what it reminds of: `system._reminder_plan`, in SQL.
mail AS (
    SELECT owner_id AS recipient_id, %(reminder)s::varchar AS kind,
           CASE WHEN count(*) = 1 THEN min(id) END AS request_id, NULL::bigint AS event_id,
           jsonb_build_object(
               'request_ids', jsonb_agg(id ORDER BY response_due_at, next_reminder_at, id),
               'cc_manager', %(cc)s AND bool_or(following IS NULL)) AS payload,
           'reminder:' || owner_id || ':' || left(encode(sha256(convert_to(
               string_agg(id || '.' || version || '.' || reminders_sent, ','
                          ORDER BY response_due_at, next_reminder_at, id),
               'UTF8')), 'hex'), 32) AS unique_key
    FROM due
    GROUP BY owner_id
),
slack AS (
    SELECT NULL::bigint AS recipient_id, NULL::varchar AS kind, NULL::varchar AS channel,
           NULL::bigint AS request_id, NULL::bigint AS event_id, NULL::text AS unique_key
    WHERE FALSE
),
{outbox}
SELECT id FROM outbox
"""


def _iso(column: str) -> str:
    """A UTC timestamp as JSON text exactly as Python's `isoformat()` writes the ORM path's
    event details (PostgreSQL's own JSON rendering trims trailing zeros of the fraction)."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
        f"mod(date_part('microseconds', {utc})::int, 1000000) <> 0 "
        f"THEN to_char({utc}, '.US') ELSE '' END || '+00:00'"
    )


def _tables() -> dict[str, str]:
    return {
        "requests": InterviewRequest._meta.db_table,
        "events": RequestEvent._meta.db_table,
        "notifications": Notification._meta.db_table,
        "users": User._meta.db_table,
        "slack_messages": SlackMessage._meta.db_table,
    }


def _statement(template: str, **parts: str) -> str:
    tables = _tables()
    fragments = {
        "outbox": _OUTBOX.format(**tables),
        "refreshes": _REFRESHES.format(**tables),
        "team_posts": _TEAM_POSTS.format(**tables),
    }
    return template.format(**tables, **fragments, deadline=_iso("response_due_at"), **parts)


def _outbox_params(now: dt.datetime) -> dict[str, Any]:
    bot = bool(settings.SLACK_BOT_TOKEN)
    return {
        "now": now,
        "events_table": RequestEvent._meta.db_table,
        "direct_messages": bot,
        "bot": bot,
        "via_email": NotifyVia.EMAIL,
        "via_slack": NotifyVia.SLACK,
        "dm_kinds": sorted(DIRECT_MESSAGE_KINDS),
        "email": Channel.EMAIL,
        "slack": Channel.SLACK,
        "slack_dm": Channel.SLACK_DM,
        "pending": NotificationStatus.PENDING,
        "sending": NotificationStatus.SENDING,
        "refresh": NotificationKind.SLACK_REFRESH,
    }


def _run(statement: str, params: dict[str, Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def switch_batch(
    due_sql: str, due_params: Sequence, *, now: dt.datetime
) -> tuple[list[tuple[int, int, int, int, int]], list[int]]:
    """The deadline switch of the rows the claim `due_sql` selects (id, status, owner_id,
    requested_by_id, response_due_at FOR UPDATE SKIP LOCKED).

    Returns ([(request id, new version, marketer id, owner id, event id)], outbox ids)."""
    # psycopg's named parameters: the claim's positional ones become named too.
    names = [f"due_{i}" for i in range(len(due_params))]
    due = due_sql % tuple(f"%({name})s" for name in names)
    statement = _statement(
        _SWITCH, due=due, cleared=", ".join(f"{field} = NULL" for field in CLEARED_DEADLINES)
    )
    params = {
        **dict(zip(names, due_params, strict=True)),
        **_outbox_params(now),
        "to": Status.MARKETING_OUTREACH,
        "outreach_by": Outreach.MARKETING,
        "event_kind": EventKind.DEADLINE_PASSED,
        "to_owner": NotificationKind.SWITCHED_OWNER,
        "to_marketer": NotificationKind.SWITCHED_MARKETER,
        "team_kind": NotificationKind.SWITCHED_MARKETER,
    }
    rows = _run(statement, params)
    switched = sorted(tuple(row) for row in rows if row[1] is not None)
    return switched, [row[0] for row in rows if row[1] is None]


def wake_batch(
    ids: Sequence[int],
    window_of: Sequence[int],
    windows: Sequence[dict[str, Any]],
    *,
    now: dt.datetime,
) -> list[int]:
    """Wake the claimed (locked) deferred requests `ids`, each into the window
    `windows[window_of[i]]` (the fields of `base.window_fields`). Returns the outbox ids."""
    params = {
        **_outbox_params(now),
        "ids": list(ids),
        # unnest … WITH ORDINALITY counts from 1.
        "windows": [index + 1 for index in window_of],
        "starts": [w["window_started_at"] for w in windows],
        "deadlines": [w["response_due_at"] for w in windows],
        "reminders": [w["next_reminder_at"] for w in windows],
        # The event's deadline as the ORM path writes it (in the business time zone).
        "deadline_texts": [w["response_due_at"].isoformat() for w in windows],
        "to": Status.AWAITING_OWNER,
        "event_kind": EventKind.WOKE,
        "woke": NotificationKind.WOKE,
    }
    return [row[0] for row in _run(_statement(_WAKE), params)]


def remind_batch(
    ids: Sequence[int], candidates: dict[dt.datetime, list[dt.datetime]], *, now: dt.datetime
) -> list[int]:
    """Remind of the claimed (locked) requests `ids`: advance each one's reminder stage,
    record it, and queue one email per owner. `candidates` holds the reminder times of each
    of their deadlines (`calendar.reminder_candidates`). Returns the outbox ids."""
    pairs = [(deadline, at) for deadline, times in candidates.items() for at in times]
    params = {
        **_outbox_params(now),
        "ids": list(ids),
        "deadlines": [deadline for deadline, _ in pairs],
        "times": [at for _, at in pairs],
        "cc": bool(settings.REMINDER_CC_MANAGER),
        "event_kind": EventKind.REMINDER_SENT,
        "reminder": NotificationKind.REMINDER,
    }
    return [row[0] for row in _run(_statement(_REMIND), params)]
