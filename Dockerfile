# One image for every Python part (idp-mock, api, bff, reminder job); compose picks the command.
FROM python:3.11-slim

WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

COPY pyproject.toml README.md ./
COPY bff ./bff
COPY api ./api
COPY idp-mock ./idp-mock
COPY reminder_job ./reminder_job
COPY devstack ./devstack
COPY frontend ./frontend
RUN pip install --no-cache-dir -e . \
    && useradd --system --uid 10001 app \
    && mkdir -p /app/var && chown app /app/var

# Runs unprivileged; /app/var holds the IdP's signing keys and the API's SQLite file.
USER app
VOLUME ["/app/var"]
