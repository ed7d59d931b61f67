"""kombu's Redis transport, with the one change that keeps a worker alive through an outage.

The bug (celery 5.7.0, kombu 5.7.0, reproduced by
tests/reliability/test_worker_rides_out_redis_outage.py): when Redis goes away while a task
is running unacknowledged (`task_acks_late`), the worker closes the broken connection;
closing the channel restores the unacknowledged message, which needs a new Redis client
from a connection whose transport was already detached, and `_connparams` fails with
`AttributeError: 'NoneType' object has no attribute 'hostname'`. kombu's close path ignores
connection errors only, so the AttributeError escapes the consumer and the worker exits
("Unrecoverable error"), never to come back without a supervisor.

Here that situation is reported as what it is, a connection error: the close path ignores
it, the consumer reconnects once Redis answers again, and the message it could not restore
is redelivered by Redis after the visibility timeout (or, when Redis restarted empty, is
gone; the outbox rows it named are sent by the next run: `interviews.notifications.outbox`).
Selected with `broker_transport` in the settings; drop it once kombu handles this itself.
"""

from __future__ import annotations

import redis
from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> dict:
        if self.connection is None or self.connection.client is None:
            raise redis.exceptions.ConnectionError(
                "The broker connection is closed; not opening a new one from it."
            )
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
