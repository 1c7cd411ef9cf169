# Confide's application image: gunicorn serving config.wsgi, started by
# bin/start (migrate, collect static files, then gunicorn with
# config/gunicorn.py). Configuration and keys come from the environment at run
# time, never from the image: see docs/deploy.md and compose.yaml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

WORKDIR /app

# Only the runtime part of requirements.txt (the lines above the tests and
# quality gates): the image carries no test tools.
COPY requirements.txt ./
RUN python -m venv "$VIRTUAL_ENV" \
    && sed '/^# Tests and quality gates/,$d' requirements.txt > requirements-runtime.txt \
    && pip install --no-cache-dir -r requirements-runtime.txt

COPY . .
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin confide \
    && mkdir -p /app/var/static /app/var/media \
    && chown -R confide /app/var
USER confide

# In a container the server listens on every interface, behind the proxy.
ENV HOST=0.0.0.0 PORT=8000
EXPOSE 8000
CMD ["bin/start"]
