# One image for every Python part (idp-mock, api, bff, reminder job); compose picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH

# Dependencies first, pinned and hashed: this layer is rebuilt only when the lock changes.
COPY requirements/app.lock /tmp/app.lock
RUN python -m venv /opt/venv \
    && pip install --no-cache-dir --disable-pip-version-check --require-hashes --no-deps \
       -r /tmp/app.lock \
    && rm /tmp/app.lock

# Then the code, installed as an ordinary package (not editable) by the locked setuptools;
# the sources are removed, so what runs is what was installed.
COPY pyproject.toml README.md /tmp/src/
COPY bff /tmp/src/bff
COPY api /tmp/src/api
COPY idp-mock /tmp/src/idp-mock
COPY reminder_job /tmp/src/reminder_job
COPY devstack /tmp/src/devstack
RUN pip install --no-cache-dir --disable-pip-version-check --no-deps --no-build-isolation \
       /tmp/src \
    && rm -rf /tmp/src \
    && useradd --system --uid 10001 app \
    && mkdir -p /app/var && chown app /app/var

# Files read at run time rather than imported: the SPA and the IdP's demo users and clients.
WORKDIR /app
COPY frontend ./frontend
COPY idp-mock/demo-config.yaml ./idp-mock/demo-config.yaml
# The BFF's gunicorn settings (gevent workers), read by the master as a file: it imports nothing
# of the app, so gevent patches each worker before the app's libraries load.
COPY bff/gunicorn.conf.py ./bff/gunicorn.conf.py
ENV FRONTEND_DIR=/app/frontend IDP_CONFIG=/app/idp-mock/demo-config.yaml

# Runs unprivileged; /app/var holds the IdP's signing keys and the API's SQLite file.
USER app
VOLUME ["/app/var"]
# 8000 BFF (and SPA), 8001 API, 8002 IdP; compose sets HEALTH_URL to the service's own port.
EXPOSE 8000 8001 8002
ENV HEALTH_URL=http://127.0.0.1:8000/healthz
HEALTHCHECK --interval=3s --timeout=3s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(os.environ['HEALTH_URL'], timeout=2)"]
CMD ["gunicorn", "--no-control-socket", "-c", "bff/gunicorn.conf.py", "-b", "0.0.0.0:8000", \
     "bff:create_app()"]
