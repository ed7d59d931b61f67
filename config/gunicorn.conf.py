"""gunicorn settings for the web process: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

The Dockerfile, docker-compose.yml and the benchmark all start the app with this file, so
what is measured is what runs. Environment variables below, or command-line options
(e.g. --workers 2), override it.

Synchronous workers, meant to sit behind a buffering reverse proxy (nginx, a cloud load
balancer), which is how the app is deployed. Measured on the owner answer page (2 workers,
2 cores, wrk with 8 connections): sync workers close each connection and serve about 250
requests/s. Threaded workers keeping connections alive served about 280 when the
connections happened to spread over both workers, and half that when one worker took all
of them for the whole run: a long-lived connection stays with the worker that accepted it.
GUNICORN_WORKER_CLASS=gthread (with GUNICORN_THREADS) is there for a deployment without a
buffering proxy, where slow clients would otherwise hold a sync worker.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# A fixed default: the host's core count says nothing about a container's share of it, and
# every worker holds a database connection. Size it with WEB_CONCURRENCY.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Django logs every request with its request id (config/observability.py).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
