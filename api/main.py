"""The navigator's web application: api, Open Referral UK view and pages."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from api.admin.recording import UsageBuffer
from api.deps import get_today
from api.errors import install_error_handlers
from api.openapi import install_openapi
from api.protection import install_protection
from api.rasa_client import RasaClient
from api.routers import ALL_ROUTERS
from api.security_headers import install_security_headers
from api.served_reading import ServedReading
from api.settings import Settings, get_settings
from api.templating import STATIC_DIR
from knowledge.content.current import KnowledgeHolder
from knowledge.content.reading_corpus import fitted_reader
from knowledge.content.versions import ensure_seeded
from knowledge.db import make_engine, migrate_database
from pathways.reading import use_similarity_reader

DESCRIPTION = """
The Early Years Pathway Navigator for Bradford: where to go for a family from
pregnancy to the baby's second birthday. `POST /api/v1/recommendations` gives
one of four tiers (urgent, lmm_referral, lmm_consultation, signpost) with the
services' remits, next steps and the trace of rules that decided it.
"""


def one_thread_for_numerical_libraries() -> None:
    """OpenBLAS (under numpy and scikit-learn) and any OpenMP pool on one
    thread. Their worker threads spin-wait between the engine's small matrix
    products: on the 2-core machine that was 40 to 80 ms of CPU per chat turn
    for about 10 ms of reading, taken from Rasa and the other requests
    (bench/README.md, Load). Requests already run side by side, so one
    thread each is enough. Applied after the start-up fit, for the whole
    process (OpenBLAS's setting is global)."""
    threadpool_limits(limits=1)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        migrate_database(engine, settings.migration_database_url)
        with Session(engine) as session:
            ensure_seeded(session)
        app.state.engine = engine
        served = ServedReading(
            settings.reading_corpus_dir, settings.reading_prewarm,
            today=lambda: asyncio.run(app.dependency_overrides.get(get_today, get_today)()),
        )
        app.state.knowledge = KnowledgeHolder(
            engine, settings.knowledge_refresh_seconds, on_new_version=served.follow
        )
        app.state.knowledge.refresh()
        use_similarity_reader(await run_in_threadpool(
            fitted_reader, app.state.knowledge.get(), settings.reading_corpus_dir
        ))
        one_thread_for_numerical_libraries()
        if settings.reading_prewarm:
            served.follow(app.state.knowledge.get())
        app.state.usage = UsageBuffer(engine)
        flusher = asyncio.create_task(app.state.usage.flush_every(settings.usage_flush_seconds))
        # One pooled client per process for every chat turn, with its back-pressure.
        app.state.rasa = RasaClient.from_settings(settings)
        yield
        served.close()
        await app.state.rasa.aclose()
        flusher.cancel()
        with suppress(asyncio.CancelledError):
            await flusher
        engine.dispose()

    app = FastAPI(
        title="Early Years Pathway Navigator",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by api.routers.docs with local Swagger UI assets
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)
    install_openapi(app)
    install_protection(app, settings)
    install_security_headers(app)
    STATIC_DIR.mkdir(exist_ok=True)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ALL_ROUTERS:
        app.include_router(router)
    return app


app = create_app()
