"""Bursts that the rate limits must refuse, kept inside one counting window.

The limits count in windows aligned to the clock (a minute starts at :00)
and weigh the previous window's count by how much of it is left, rounded
down: a burst that straddles the start of a minute may pass one request
more than the limit. A test that asserts the exact request refused starts
its burst early enough in a minute to finish within it.
"""

from __future__ import annotations

import time


def start_early_in_a_minute(burst_seconds: float = 20.0) -> None:
    """Wait, when needed, until a burst of ``burst_seconds`` fits before the
    next minute starts."""
    into = time.time() % 60
    if into > 60 - burst_seconds:
        time.sleep(60 - into + 0.5)
