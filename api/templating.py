"""Jinja2 templates and static files shared by every page router."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

API_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = API_DIR / "templates"
STATIC_DIR = API_DIR / "static"

templates = Jinja2Templates(directory=TEMPLATES_DIR)
