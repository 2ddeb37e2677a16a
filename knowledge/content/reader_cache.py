"""Fitted similarity layers kept on disk, so a restart does not refit.

Fitting the layer on the corpus's ``train`` split takes half a minute on two
cores (cross-validation refits it five times), and every api instance, every
restart and every publish check needs one. A fitted layer depends only on
the corpus files, the phrase set it was tuned against, the learner and the
reading code itself, so it is stored under a key made from all four and
reused until one of them changes.

The files are Python pickles: only a layer this code wrote is ever read back,
from a folder of the navigator's own (``DATA_DIR/reading-cache`` by default).
A folder that cannot be written (a read-only container) just means no cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Final

import numpy as np
import sklearn  # type: ignore[import-untyped]

import pathways
from pathways.similarity import SimilarityReader

KEEP: Final = 6  # files kept: the published phrase set, drafts being checked, and spares
LOG: Final = logging.getLogger(__name__)
_CODE_DIR: Final = Path(pathways.__file__).parent


def corpus_digest(corpus_files: Iterable[Path]) -> str:
    """The corpus files' names and contents, hashed: read once per fit check,
    for this key and for reusing a layer fitted in the same process."""
    digest = hashlib.sha256()
    for path in sorted(corpus_files):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(corpus: str, phrase_fingerprint: str, learner: str) -> str:
    """Changes whenever the fitted layer would: the corpus (its
    :func:`corpus_digest`), the phrases, the learner, the reading code or the
    numerical libraries."""
    digest = hashlib.sha256()
    for part in (corpus, phrase_fingerprint, learner, np.__version__, sklearn.__version__):
        digest.update(part.encode() + b"\0")
    for path in sorted(_CODE_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def load_or_fit(
    folder: Path | None, key: str, fit: Callable[[], SimilarityReader | None]
) -> SimilarityReader | None:
    """The layer stored under ``key`` in ``folder``, or ``fit()``'s, then stored."""
    if folder is None:
        return fit()
    path = folder / f"reader-{key}.pickle"
    try:
        with path.open("rb") as stored:
            reader = pickle.load(stored)  # noqa: S301 - written by _store below
        if isinstance(reader, SimilarityReader):
            os.utime(path)  # recently used: kept longest
            return reader
    except FileNotFoundError:
        pass
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        LOG.warning("fitted reader cache %s unreadable (%s): refitting", path.name, exc)
    reader = fit()
    if reader is not None:
        _store(folder, path, reader)
    return reader


def _store(folder: Path, path: Path, reader: SimilarityReader) -> None:
    """Write atomically (another instance may be reading), then prune old files."""
    temporary: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(reader, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        temporary = None
        stored = sorted(folder.glob("reader-*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in stored[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        LOG.warning("fitted reader not cached in %s: %s", folder, exc)
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
