# Two images from one file:
#   docker build --target api -t navigator-api .   (FastAPI, Python 3.11)
#   docker build --target bot -t navigator-bot .   (Rasa 3.6 + action server, Python 3.10)
# Production runs several api and bot containers behind a load balancer, with
# DATABASE_URL pointing at PostgreSQL and REDIS_URL set for Rasa's stores.

FROM node:20-bookworm-slim AS frontend
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts/build-frontend.sh scripts/
COPY api/static api/static
RUN bash scripts/build-frontend.sh

FROM python:3.11-slim-bookworm AS api
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH ENVIRONMENT=production
# Set to your load balancer's address (comma-separated; CIDR ranges allowed):
# uvicorn rewrites the client address from X-Forwarded-For only for requests
# from these addresses, so sign-in throttling and rate limits see real clients.
ENV FORWARDED_ALLOW_IPS=127.0.0.1
RUN pip install --no-cache-dir uv==0.13.9 && useradd --system --uid 10001 navigator
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY alembic.ini ./
COPY api api
COPY pathways pathways
COPY knowledge knowledge
COPY knowledge/content/worked_cases.yaml knowledge/content/worked_cases.yaml
COPY --from=frontend /src/api/static/vendor api/static/vendor
USER 10001
EXPOSE 8000
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"]
CMD ["uvicorn", "api.main:app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", \
     "--log-config", "api/logging.json", "--no-server-header"]

# The bot listens on 127.0.0.1 only (Rasa's HTTP API off): run it in the api's
# network namespace, e.g. as a sidecar in the same pod, with
# NAVIGATOR_API_URL=http://127.0.0.1:8000 and REDIS_URL for shared stores.
FROM python:3.10-slim-bookworm AS bot
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 RASA_TELEMETRY_ENABLED=false
RUN useradd --system --uid 10002 --create-home rasa
WORKDIR /app
COPY bot/requirements.lock bot/requirements.lock
COPY scripts/bot-setup.sh scripts/bot-train.sh scripts/bot-serve.sh scripts/
RUN bash scripts/bot-setup.sh
COPY bot bot
RUN bash scripts/bot-train.sh && chown -R rasa /app/bot
USER 10002
CMD ["bash", "scripts/bot-serve.sh"]
