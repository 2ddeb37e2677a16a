"""YAML from staff (admin form fields and imported seed files), read safely.

``yaml.safe_load`` builds nested collections recursively, so input nested a
few thousand levels deep exhausts the stack, and aliases can make a small
document expand into an enormous one ("billion laughs") when it is walked.
Staff content is at most a few levels deep and never needs anchors, so
:func:`load` refuses nesting deeper than ``MAX_DEPTH`` while it composes the
document (before anything deep is built) and refuses aliases outright. Every
way the text can be wrong, including values the YAML resolver turns into
impossible dates, comes back as one :class:`YamlProblem` with a plain message.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.nodes import Node

MAX_DEPTH = 20  # the seed files nest at most 6 levels


class YamlProblem(ValueError):
    """Text that is not acceptable YAML; the message says why, and where if known."""


class _GuardedLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in the stubs
        if isinstance(event, AliasEvent):
            raise YamlProblem(_where(event, "YAML aliases (*name) are not accepted"))
        if isinstance(event, CollectionStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise YamlProblem(_where(event, f"it is nested more than {MAX_DEPTH} levels deep"))
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        return super().compose_node(parent, index)


def _where(event: Any, message: str) -> str:
    mark = getattr(event, "start_mark", None)
    return f"{message} (line {mark.line + 1})" if mark is not None else message


def load(text: str) -> Any:
    """Parse one YAML document, refusing deep nesting, aliases and bad values."""
    loader: _GuardedLoader | None = None
    try:
        loader = _GuardedLoader(text)  # checks the characters already
        return loader.get_single_data()
    except YamlProblem:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "it cannot be read"
        raise YamlProblem(f"{problem}{where}") from exc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # e.g. 2026-02-30 is read as a date and fails; never a server error
        raise YamlProblem(f"a value cannot be read ({exc})") from exc
    finally:
        if loader is not None:
            loader.dispose()
