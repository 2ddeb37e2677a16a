"""The engine's answer for a case, asked of the api once per practitioner message.

One message can need the same recommendation several times: the form's
preview decides the next question, the safety question lists the preview's
``safety_questions``, and when the form ends ``action_recommend`` (or
``action_check_eligibility``) gives the answer for the very same case. The
first of these asks the api (``POST /api/v1/recommendations``); the others,
for the same conversation, the same message and the same query, reuse that
answer, which is the api's answer to exactly that query.

Kept in this process only, for the one message: keyed by the conversation
id, Rasa's id of the latest message (a new message is a new key, so nothing
outlives its turn in use) and the query itself; entries older than
:data:`KEEP_SECONDS` are dropped at the next call, and the oldest beyond
:data:`MAX_KEPT`. They hold only what the bot already had: the api's answer
to the (redacted) case. A message without an id (a test's tracker) is never
kept. Refusals and failures are not kept: the next caller asks the api
again. Red flags do not come through here (``action_urgent_guidance``
always asks the api).
"""

from __future__ import annotations

import copy
import json
import time
from collections import OrderedDict
from typing import Any, Dict, Optional, Tuple

from rasa_sdk import Tracker

from actions.api_client import NavigatorApi

KEEP_SECONDS = 30.0
# A few answers per turn in flight: far more than the designed load needs.
MAX_KEPT = 200

_kept: "OrderedDict[Tuple[str, str, str], Tuple[float, Dict[str, Any]]]" = OrderedDict()


def _key(tracker: Tracker, query: Dict[str, Any]) -> Optional[Tuple[str, str, str]]:
    message_id = (tracker.latest_message or {}).get("message_id")
    if not message_id or not tracker.sender_id:
        return None
    return (str(tracker.sender_id), str(message_id), json.dumps(query, sort_keys=True))


async def recommendation(tracker: Tracker, query: Dict[str, Any]) -> Dict[str, Any]:
    """The api's recommendation for ``query`` in this turn (raises as
    :meth:`NavigatorApi.recommend` does)."""
    key = _key(tracker, query)
    now = time.monotonic()
    while _kept and now - next(iter(_kept.values()))[0] > KEEP_SECONDS:
        _kept.popitem(last=False)
    if key is not None and key in _kept:
        return copy.deepcopy(_kept[key][1])
    result = await NavigatorApi().recommend(query)
    if key is not None:
        _kept[key] = (now, copy.deepcopy(result))
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
    return result


def forget() -> None:
    """Drop every kept answer (tests)."""
    _kept.clear()
