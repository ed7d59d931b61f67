"""The deadline switch of one batch as one PostgreSQL statement.

Claim the due rows (SKIP LOCKED), update them, insert their events from the updated rows
and the two emails of each from the events, all in one round trip, with no model object
built in Python: at 100,000 overdue requests, building and bulk-inserting 300,000 objects
was most of the sweep's time. The claim is the ORM's own query for the shared rule
(`overdue_q`), so the per-request path and this one cannot drift apart.

PostgreSQL only (data-modifying WITH), and only while Slack direct messages are off (the
per-person choice of email, Slack or both is not in the statement yet); otherwise
`system.switch_overdue_batch` writes the same rows through the ORM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection

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
    Status,
)

_STATEMENT = """
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
           jsonb_build_object('was', was, 'deadline', response_due_at), %(now)s
    FROM switched
),
emails AS (
    INSERT INTO {notifications}
        (recipient_id, kind, channel, request_id, event_id, payload, unique_key, status,
         attempts, next_attempt_at, last_error, created_at)
    SELECT who.recipient_id, who.kind, %(channel)s, s.id, s.event_id,
           jsonb_build_object('was', s.was),
           who.kind || ':' || s.id || ':' || s.version || ':' || who.recipient_id,
           %(pending)s, 0, %(now)s, '', %(now)s
    FROM switched s
    CROSS JOIN LATERAL (VALUES (%(to_owner)s, s.owner_id),
                               (%(to_marketer)s, s.requested_by_id)) AS who(kind, recipient_id)
    RETURNING id
)
-- The switched rows, then the email ids, each once (an array of every email id on every
-- row would grow with the square of the batch).
SELECT id, version, requested_by_id, owner_id, event_id FROM switched
UNION ALL
SELECT id, NULL, NULL, NULL, NULL FROM emails
"""


def switch_batch(
    due_sql: str, due_params: Sequence, *, now: dt.datetime
) -> tuple[list[tuple[int, int, int, int, int]], list[int]]:
    """Run the statement on the claim `due_sql` (selecting id, status, owner_id,
    requested_by_id, response_due_at FOR UPDATE SKIP LOCKED).

    Returns ([(request id, new version, marketer id, owner id, event id)], email ids)."""
    # psycopg's named parameters: the claim's positional ones become named too.
    names = [f"due_{i}" for i in range(len(due_params))]
    due = due_sql % tuple(f"%({name})s" for name in names)
    statement = _STATEMENT.format(
        due=due,
        requests=InterviewRequest._meta.db_table,
        events=RequestEvent._meta.db_table,
        notifications=Notification._meta.db_table,
        cleared=", ".join(f"{field} = NULL" for field in CLEARED_DEADLINES),
    )
    params = {
        **dict(zip(names, due_params, strict=True)),
        "now": now,
        "events_table": RequestEvent._meta.db_table,
        "to": Status.MARKETING_OUTREACH,
        "outreach_by": Outreach.MARKETING,
        "event_kind": EventKind.DEADLINE_PASSED,
        "channel": Channel.EMAIL,
        "pending": NotificationStatus.PENDING,
        "to_owner": NotificationKind.SWITCHED_OWNER,
        "to_marketer": NotificationKind.SWITCHED_MARKETER,
    }
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    switched = sorted(tuple(row) for row in rows if row[1] is not None)
    return switched, [row[0] for row in rows if row[1] is None]
