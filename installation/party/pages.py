"""The party's HTML: its Jinja templates (``templates/``), autoescaped. ``page`` is the one entry."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from installation.party.context import HERE, SECURITY_HEADERS


@cache
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))


def render_template(template: str, **values: Any) -> str:
    return environment().get_template(template).render(**values)


def page(template: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A template as a page, with the party's security headers."""
    return HTMLResponse(render_template(template, **values), status_code=status, headers=SECURITY_HEADERS)
