"""Request dependencies as type aliases: handlers declare what they need and
never open sessions or read globals themselves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlmodel import Session

from api.settings import Settings, SettingsDep, get_settings
from knowledge.content.current import KnowledgeHolder
from pathways.model import Knowledge

__all__ = [
    "EngineDep",
    "KnowledgeDep",
    "KnowledgeHolderDep",
    "SessionDep",
    "Settings",
    "SettingsDep",
    "TodayDep",
    "get_settings",
]


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]


def get_session(engine: EngineDep) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


async def get_knowledge_holder(request: Request) -> KnowledgeHolder:
    holder: KnowledgeHolder = request.app.state.knowledge
    return holder


KnowledgeHolderDep = Annotated[KnowledgeHolder, Depends(get_knowledge_holder)]


async def get_knowledge(holder: KnowledgeHolderDep) -> Knowledge:
    """The published knowledge. Usually a memory read; about once a second it
    checks the store for a newer version, in a worker thread."""
    if holder.is_due():
        return await run_in_threadpool(holder.get)
    return holder.get()


KnowledgeDep = Annotated[Knowledge, Depends(get_knowledge)]


async def get_today() -> date:
    """Today's date; a dependency so tests can pin it ("due in March" is relative)."""
    return date.today()


TodayDep = Annotated[date, Depends(get_today)]
