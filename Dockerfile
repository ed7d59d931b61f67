# Interview Relay: one image for web (gunicorn), Celery worker and Celery beat.
FROM python:3.11-slim

# uv: build the venv at /app/.venv with this image's Python and never download one.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1

# uv is installed from PyPI with pip: no binary download from elsewhere.
RUN pip install uv

RUN useradd --create-home --home-dir /home/relay --shell /usr/sbin/nologin relay

WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project

COPY . .
RUN uv sync --locked --no-dev

ENV PATH=/app/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings

# Static files into STATIC_ROOT (var/static by default), with content-hashed names for
# WhiteNoise. The settings demand a secret key, allowed hosts and a mail server when DEBUG
# is off; these throwaway values exist for this step only.
RUN SECRET_KEY=build DEBUG=false ALLOWED_HOSTS=x EMAIL_URL=dummymail:// \
    python manage.py collectstatic --noinput

# var/ holds runtime files (the dev mailbox when no EMAIL_URL is set, SQLite if used):
# the app user must be able to write there.
RUN mkdir -p /app/var && chown -R relay:relay /app/var

USER relay

EXPOSE 8000

CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]
