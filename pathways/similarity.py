"""The second reading layer: concerns recognised in words no phrase covers.

Curated phrases (``pathways.phrases``) are the first, exact layer. This layer
has learned from the labelled corpus (``knowledge/content/corpus``, its ``train``
split only) what practitioners' wordings of each concern look like, so
"baby went all floppy on me" or "stockpiling her tablets" is recognised
without anyone having written that phrase down. It runs offline on the CPU
with scikit-learn; nothing is downloaded.

Two learners are available, compared in ``bench/bench_reading.py``:

* ``knn``: nearest labelled examples by TF-IDF cosine similarity over word
  stems and character n-grams (typos, "stranggled", "tablits");
* ``linear``: a linear model over the same features, one output per concern
  (ridge regression on the 0/1 labels, solved in its dual form once for
  every concern, so it fits in about a second).

Each concern has its own threshold, set by cross-validation on ``train``:
recall-weighted for red flags (safety first), balanced for the rest. Each
clause is scored separately, so a suspicion names the words it came from, and
so is the whole note, for a worry split over a comma; the nearest labelled
example with its score is kept as evidence.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
from scipy.linalg import solve  # type: ignore[import-untyped]
from scipy.sparse import csr_matrix, hstack  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.model_selection import KFold  # type: ignore[import-untyped]
from sklearn.preprocessing import normalize  # type: ignore[import-untyped]

from pathways.embedding import shared_encoder
from pathways.shorthand import SPELT_OUT, spell_out
from pathways.text import Token, stem, tokenize

Learner = Literal["knn", "linear", "both"]
# What a wording is compared by: TF-IDF over word stems and character n-grams
# (spelling), a sentence embedding (meaning: pathways/embedding.py), or both.
FeatureKind = Literal["tfidf", "embedding", "combined"]
FEATURE_KINDS: Final[tuple[FeatureKind, ...]] = ("tfidf", "embedding", "combined")
# In "combined", the share of the similarity that comes from the embedding.
EMBEDDING_WEIGHT: Final = 0.5
# What the layer may raise: red flags only (a safety net behind the phrases), or
# every concern. Compared in bench/bench_reading.py; red flags only is used, as
# suspicions of other concerns sent families to LMM on likeness alone.
Scope = Literal["red_flags", "all"]
LEARNERS: Final[tuple[Learner, ...]] = ("knn", "linear", "both")
MIN_EXAMPLES: Final = 3  # a concern with fewer labelled examples is left to the phrases
OTHER_BETA: Final = 1.0
# The share of training examples with no red flag (that the phrases leave
# alone) which this layer may make urgent, measured out of fold: within it,
# the "any red flag" threshold is set as low as possible (recall first).
ALARM_BUDGET: Final = 0.10
ANY_RED_FLAG: Final = "_any_red_flag"  # a column of its own: is any red flag present?
FOLDS: Final = 5
FLOOR: Final = 0.35  # no threshold is set lower, however few examples a concern has
MIN_CLAUSE_WORDS: Final = 3  # shorter clauses ("7 wk old") are scored only as part of the whole
MIN_TEXT_WORDS: Final = 3  # "not sure", "start again", "bye": too little to recognise anything in
OWN_SCORE_SHARE: Final = 0.5  # a red flag raised by the gate needs this share of its own threshold
# Words too common in these notes to count as shared evidence with an example.
COMMON: Final = frozenset(stem(w) for w in (
    "the", "a", "an", "and", "or", "to", "of", "in", "on", "at", "for", "with", "is", "was",
    "are", "be", "been", "has", "have", "had", "she", "he", "her", "his", "him", "they", "them",
    "it", "this", "that", "mum", "dad", "baby", "not", "no", "but", "so", "very", "said", "says",
    "i", "me", "my", "we", "you", "just", "all", "up", "out", "about", "from", "as", "by",
    # how a baby or a parent is introduced ("her name's Chloe-Mae") says nothing
    "name", "names", "named", "called",
))
NEIGHBOURS: Final = 5
BATCH: Final = 1_000  # texts per matrix product: about 80 MB of likenesses
MIN_EVIDENCE_EXAMPLES: Final = 2
RIDGE_ALPHA: Final = 1.0


Clause = tuple[int | None, list[Token]]
# A text's pieces, their scores per code, and the nearest example per code.
Scored = tuple[list[Clause], np.ndarray, np.ndarray]
_NO_SCORES: Final = np.zeros((0, 0))


@dataclass(frozen=True)
class LabelledText:
    """One labelled wording: the text and the concern codes it shows."""

    text: str
    concerns: tuple[str, ...]
    red_flag: bool = False


@dataclass(frozen=True)
class Suspicion:
    """A concern this layer recognised, and why: the clause it came from, the
    nearest labelled example that shows the concern and the score (0-1)."""

    code: str
    words: str
    score: float
    similar_to: str
    clause: int | None


def _shares_a_word(words: Sequence[Token], stems: frozenset[str]) -> bool:
    """Whether ``words`` have a meaningful word stem among an example's ``stems``."""
    return bool(({t.stem for t in words} - COMMON) & stems)


def _evidence_stems(token_lists: Sequence[Sequence[Token]]) -> list[frozenset[str]]:
    """Each example's word stems that can count as shared evidence: those used
    by at least MIN_EVIDENCE_EXAMPLES examples. A word seen once only (a
    baby's name, "Chloe") says nothing about what a message means."""
    counts: dict[str, int] = {}
    for tokens in token_lists:
        for word in {t.stem for t in tokens}:
            counts[word] = counts.get(word, 0) + 1
    return [frozenset(t.stem for t in tokens if counts[t.stem] >= MIN_EVIDENCE_EXAMPLES)
            for tokens in token_lists]


def _code_stems(
    token_lists: Sequence[Sequence[Token]], labels: np.ndarray, codes: Sequence[str],
) -> dict[str, frozenset[str]]:
    """Per code, the word stems used by at least MIN_EVIDENCE_EXAMPLES of the
    examples that show it: a word shared with the nearest example is evidence
    only when it is one of these. A name two unrelated examples happen to use
    ("Chloe") is not a sign of the concern either of them shows."""
    out: dict[str, frozenset[str]] = {}
    for column, code in enumerate(codes):
        counts: dict[str, int] = {}
        for row in np.flatnonzero(labels[:, column]):
            for word in {t.stem for t in token_lists[int(row)]}:
                counts[word] = counts.get(word, 0) + 1
        out[code] = frozenset(w for w, n in counts.items() if n >= MIN_EVIDENCE_EXAMPLES)
    return out


def word_view(tokens: Sequence[Token]) -> str:
    """The word stems, each piece of shorthand followed by its spelling out
    ("od" -> "od overdos"), so "OD" and "overdose" share a feature."""
    words: list[str] = []
    for token in tokens:
        words.append(token.stem)
        words.extend(stem(w) for w in SPELT_OUT.get(token.word, "").split())
    return " ".join(words)


def _clauses(tokens: list[Token]) -> list[tuple[int | None, list[Token]]]:
    """The pieces to score: the whole text (clause ``None``), then each clause
    of a longer text. The whole text is scored too because a worry is often
    split over a comma ("32/40, OH pushed her") and no clause alone carries it;
    when a clause does, the clause is named as the evidence (``_decide``)."""
    by_clause: dict[int, list[Token]] = {}
    for token in tokens:
        by_clause.setdefault(token.clause, []).append(token)
    long_enough: list[tuple[int | None, list[Token]]] = [
        (n, w) for n, w in by_clause.items() if len(w) >= MIN_CLAUSE_WORDS
    ]
    if len(by_clause) <= 1 or not long_enough:
        return [(None, tokens)]
    return [(None, tokens), *long_enough]


class Embeddings:
    """Sentence vectors, each text encoded once per process (cross-validation
    refits the layer five times on the same texts). ``known`` may be filled
    from a file of vectors computed before (the corpus's own texts)."""

    LIMIT: Final = 60_000  # about 90 MB; a long-running api reads many messages

    def __init__(self) -> None:
        self.known: dict[str, np.ndarray] = {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        if missing:
            vectors = shared_encoder().encode(missing)
            if len(self.known) + len(missing) > self.LIMIT:
                self.known.clear()
            self.known.update(zip(missing, vectors, strict=True))
        return np.stack([self.known[t] for t in texts]) if texts else np.zeros((0, 384))


# One store per process: every reader fitted in it shares the vectors.
EMBEDDINGS: Final = Embeddings()


@dataclass
class _Features:
    words: TfidfVectorizer
    chars: TfidfVectorizer
    kind: FeatureKind

    @classmethod
    def fit(
        cls, word_texts: list[str], char_texts: list[str], kind: FeatureKind = "tfidf",
    ) -> _Features:
        words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+")  # noqa: S106
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
        words.fit(word_texts)
        chars.fit(char_texts)
        return cls(words, chars, kind)

    def transform(self, word_texts: list[str], char_texts: list[str]) -> csr_matrix:
        """Unit rows whose dot products are the similarities."""
        parts = []
        if self.kind != "embedding":
            tfidf = normalize(csr_matrix(hstack([
                self.words.transform(word_texts), self.chars.transform(char_texts)])))
            weight = 1.0 if self.kind == "tfidf" else np.sqrt(1.0 - EMBEDDING_WEIGHT)
            parts.append(tfidf * weight)
        if self.kind != "tfidf":
            weight = 1.0 if self.kind == "embedding" else np.sqrt(EMBEDDING_WEIGHT)
            parts.append(csr_matrix(EMBEDDINGS([spell_out(t) for t in char_texts]) * weight))
        return csr_matrix(hstack(parts)) if len(parts) > 1 else csr_matrix(parts[0])


@dataclass
class _Model:
    """One fitted learner over fitted features."""

    learner: Learner
    features: _Features
    matrix: csr_matrix
    labels: np.ndarray  # examples x codes, 0/1
    codes: list[str]
    dual: np.ndarray | None = None  # examples x codes: the ridge weights, dual form
    # The examples as columns, laid out once: transposing per message cost more
    # than the product itself.
    columns: csr_matrix = field(init=False)
    having: list[np.ndarray] = field(init=False)  # per code, the examples that show it

    def __post_init__(self) -> None:
        self.columns = csr_matrix(self.matrix.T)
        self.having = [np.flatnonzero(self.labels[:, c]) for c in range(len(self.codes))]

    def scores(self, rows: csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """Per row and code: the score, and the index of the nearest example
        that shows the code (-1 when none)."""
        similarity = (rows @ self.columns).toarray()
        nearest = np.full((rows.shape[0], len(self.codes)), -1)
        for column, having in enumerate(self.having):
            if having.size:
                nearest[:, column] = having[similarity[:, having].argmax(axis=1)]
        return _vote(similarity, self.labels, self.learner, self.dual), nearest


def _vote(
    similarity: np.ndarray, labels: np.ndarray, learner: Learner, dual: np.ndarray | None,
) -> np.ndarray:
    """Per row and code, the score from the row's likeness to each example."""
    k = min(NEIGHBOURS, similarity.shape[1])
    top = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    top_sims = np.take_along_axis(similarity, top, axis=1)
    weights = top_sims.sum(axis=1, keepdims=True)
    weights[weights == 0] = 1.0
    # A weighted vote of the nearest examples: lookalikes nearby pull it down.
    knn: np.ndarray = np.einsum("rk,rkc->rc", top_sims, labels[top].astype(float)) / weights
    if learner == "knn" or dual is None:
        return knn
    linear: np.ndarray = np.clip(similarity @ dual, 0.0, 1.0)
    if learner == "linear":
        return linear
    both: np.ndarray = np.maximum(linear, knn * 0.8)
    return both


def _ridge(kernel: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The ridge weights in dual form. ``kernel`` (a Gram matrix) is overwritten:
    with the ridge added it is symmetric positive definite, and a Cholesky
    solve takes half the time of a general one."""
    kernel[np.diag_indices_from(kernel)] += RIDGE_ALPHA
    dual: np.ndarray = solve(kernel, labels.astype(float), assume_a="pos",
                             overwrite_a=True, check_finite=False)
    return dual


def _fit_model(
    learner: Learner, examples: Sequence[LabelledText], codes: list[str],
    kind: FeatureKind = "tfidf",
) -> _Model:
    token_lists = [tokenize(e.text) for e in examples]
    word_texts = [word_view(t) for t in token_lists]
    char_texts = [" ".join(t.word for t in tokens) for tokens in token_lists]
    features = _Features.fit(word_texts, char_texts, kind)
    matrix = features.transform(word_texts, char_texts)
    index = {code: i for i, code in enumerate(codes)}
    labels = np.zeros((len(examples), len(codes)), dtype=np.int8)
    for row, example in enumerate(examples):
        for code in example.concerns:
            if code in index:
                labels[row, index[code]] = 1
        if ANY_RED_FLAG in index and example.red_flag:
            labels[row, index[ANY_RED_FLAG]] = 1
    return _Model(learner, features, matrix, labels, codes)


def _gram(matrix: csr_matrix) -> np.ndarray:
    """Every example's likeness to every other, dense."""
    gram: np.ndarray = (matrix @ matrix.T).toarray()
    return gram


def _clause_rows(model: _Model, texts: Sequence[str]) -> tuple[csr_matrix, np.ndarray]:
    """Every text's pieces as feature rows (as when reading), and for each row
    the index of the text it belongs to."""
    pieces = [_clauses(tokenize(t)) or [(None, [])] for t in texts]
    flat = [clause for clauses in pieces for clause in clauses]
    rows = model.features.transform(
        [word_view(words) for _, words in flat],
        [" ".join(t.word for t in words) for _, words in flat],
    )
    owner = np.repeat(np.arange(len(texts)), [len(clauses) for clauses in pieces])
    return rows, owner


def _budget_threshold(scores: np.ndarray, truth: np.ndarray, budget: float) -> float:
    """The lowest threshold (at least FLOOR) that makes at most ``budget`` of the
    negatives positive."""
    negatives = np.sort(scores[truth == 0])[::-1]
    allowed = int(budget * len(negatives))
    if len(negatives) == 0:
        return FLOOR
    cut = negatives[allowed] if allowed < len(negatives) else FLOOR
    return float(max(FLOOR, np.nextafter(cut, np.inf)))


def _best_threshold(scores: np.ndarray, truth: np.ndarray, beta: float) -> float:
    """The threshold on ``scores`` (at least FLOOR) with the best F-beta against
    ``truth``; sorted once, so every candidate costs one step."""
    positives = float(truth.sum())
    if positives == 0:
        return 1.01
    order = np.argsort(-scores, kind="stable")
    ranked, hits = scores[order], truth[order].astype(float)
    tp = np.cumsum(hits)
    fp = np.cumsum(1.0 - hits)
    fn = positives - tp
    b2 = beta * beta
    f = (1 + b2) * tp / np.maximum((1 + b2) * tp + b2 * fn + fp, 1e-9)
    # only the last of equal scores is a real cut, and no cut below the floor
    last_of_equal = np.append(ranked[1:] != ranked[:-1], True)
    usable = last_of_equal & (ranked >= FLOOR)
    if not usable.any():
        return 1.01
    best = int(np.flatnonzero(usable)[np.argmax(f[usable])])
    return float(ranked[best])


@dataclass
class Likeness:
    """What the layer learns from the labelled examples alone, whatever the
    phrases: the fitted model and every example's out-of-fold scores. Most of
    the fitting time is here, so a draft that changes only phrases reuses the
    published version's (its thresholds are set again, in seconds)."""

    examples: list[LabelledText]
    codes: list[str]
    model: _Model
    example_stems: list[frozenset[str]]
    code_stems: dict[str, frozenset[str]]
    out_of_fold: np.ndarray  # examples x codes, each scored by a model that never saw it


def learn_likeness(
    examples: Iterable[LabelledText],
    red_flags: Iterable[str],
    learner: Learner = "both",
    features: FeatureKind = "tfidf",
) -> Likeness:
    """Fit the model on ``examples`` and score each out of fold."""
    red_flags = frozenset(red_flags)
    kept = [e for e in examples if e.text.strip()]
    counts: dict[str, int] = {}
    for example in kept:
        for code in example.concerns:
            counts[code] = counts.get(code, 0) + 1
    kept = [LabelledText(e.text, e.concerns, e.red_flag or bool(red_flags & set(e.concerns)))
            for e in kept]
    codes = [*sorted(c for c, n in counts.items() if n >= MIN_EXAMPLES), ANY_RED_FLAG]
    model = _fit_model(learner, kept, codes, features)
    gram = _gram(model.matrix) if learner != "knn" else None
    out_of_fold = _out_of_fold_scores(model, kept, gram)
    if gram is not None:
        model.dual = _ridge(gram, model.labels)  # last: it takes the Gram matrix
    token_lists = [tokenize(e.text) for e in kept]
    return Likeness(kept, codes, model, _evidence_stems(token_lists),
                    _code_stems(token_lists, model.labels, codes), out_of_fold)


def _out_of_fold_scores(
    model: _Model, examples: Sequence[LabelledText], gram: np.ndarray | None,
) -> np.ndarray:
    """Each example's score per code from a model fitted without its fold,
    scored as at reading time (the best clause). The word and letter features
    are fitted once, on every example's text (no labels): each fold's model is
    then the full model's examples with the held-out fold's taken away, so the
    likenesses are computed once and every fold's kernel is a slice of one
    Gram matrix."""
    n = len(examples)
    rows, owner = _clause_rows(model, [e.text for e in examples])
    out_of_fold = np.zeros((n, len(model.codes)))
    folds = KFold(n_splits=min(FOLDS, max(2, n)), shuffle=True, random_state=7)
    for train_rows, held_rows in folds.split(np.arange(n)):
        labels = model.labels[train_rows]
        dual = _ridge(gram[np.ix_(train_rows, train_rows)], labels) if gram is not None else None
        held = np.isin(owner, held_rows)
        similarity = (rows[held] @ model.columns[:, train_rows]).toarray()
        best = np.zeros((n, len(model.codes)))
        np.maximum.at(best, owner[held], _vote(similarity, labels, model.learner, dual))
        out_of_fold[held_rows] = best[held_rows]
    return out_of_fold


class SimilarityReader:
    """The fitted layer: ``suspect(text)`` lists the concerns it recognises."""

    def __init__(
        self,
        examples: Iterable[LabelledText],
        red_flags: Iterable[str],
        learner: Learner = "both",
        found_first: Callable[[str], frozenset[str]] | None = None,
        scope: Scope = "red_flags",
        features: FeatureKind = "tfidf",
        likeness: Likeness | None = None,
    ) -> None:
        """Fit on ``examples`` (or take ``likeness``, learnt from the same
        examples and red flags before). ``found_first`` gives the concerns the
        first (phrase) layer already finds in a text: thresholds are then set
        on what this layer must add, so it is not tuned to re-find what
        phrases find."""
        self.red_flags = frozenset(red_flags)
        self.scope = scope
        self.learner = learner
        self.feature_kind = features
        if likeness is None:
            likeness = learn_likeness(examples, self.red_flags, learner, features)
        self.examples = likeness.examples
        self.codes = likeness.codes
        self.model = likeness.model
        self.example_stems = likeness.example_stems
        self.code_stems = likeness.code_stems
        self.out_of_fold = likeness.out_of_fold
        first = [found_first(e.text) if found_first else frozenset() for e in self.examples]
        self.thresholds = self._thresholds(likeness.out_of_fold, first)

    def likeness(self) -> Likeness:
        """What this layer learnt from its examples, for a reader of the same
        examples and red flags with other phrases."""
        return Likeness(self.examples, self.codes, self.model, self.example_stems,
                        self.code_stems, self.out_of_fold)

    def _thresholds(
        self, out_of_fold: np.ndarray, first: list[frozenset[str]],
    ) -> dict[str, float]:
        """Per-code thresholds from the out-of-fold scores, on the examples
        where the first layer has not already found the code (any red flag,
        for the gate)."""
        truth = self.model.labels
        thresholds: dict[str, float] = {}
        for i, code in enumerate(self.codes):
            if code == ANY_RED_FLAG:
                open_rows = np.array([not (f & self.red_flags) for f in first])
            else:
                open_rows = np.array([code not in f for f in first])
            if code == ANY_RED_FLAG or truth[open_rows, i].sum() < MIN_EXAMPLES:
                open_rows[:] = True  # too little left to the layer: judge it on everything
            if code == ANY_RED_FLAG:
                thresholds[code] = _budget_threshold(
                    out_of_fold[open_rows, i], truth[open_rows, i], ALARM_BUDGET)
            else:
                thresholds[code] = _best_threshold(
                    out_of_fold[open_rows, i], truth[open_rows, i], OTHER_BETA)
        return thresholds

    def suspect(self, text: str) -> list[Suspicion]:
        """The concerns recognised in ``text``, best score first."""
        return self.suspect_many([text])[0]

    def suspect_many(self, texts: Sequence[str]) -> list[list[Suspicion]]:
        """As :meth:`suspect` for many texts at once."""
        return [self._decide(*scored) if scored[0] else [] for scored in self.scored(texts)]

    def scored(self, texts: Sequence[str]) -> list[Scored]:
        """Each text's pieces with their scores and nearest examples, before
        any threshold: the same for every reader sharing this layer's model
        (a draft that changes only phrases). A matrix product per BATCH of
        texts: the corpus is measured this way, and one product for all of it
        would hold every text's likeness to every example at once."""
        if len(texts) > BATCH:
            return [found for start in range(0, len(texts), BATCH)
                    for found in self.scored(texts[start : start + BATCH])]
        pieces: list[list[tuple[int | None, list[Token]]]] = []
        for text in texts:
            tokens = tokenize(text)
            pieces.append(_clauses(tokens) if len(tokens) >= MIN_TEXT_WORDS else [])
        flat = [clause for clauses in pieces for clause in clauses]
        if not flat:
            return [([], _NO_SCORES, _NO_SCORES) for _ in texts]
        rows = self.model.features.transform(
            [word_view(words) for _, words in flat],
            [" ".join(t.word for t in words) for _, words in flat],
        )
        all_scores, all_nearest = self.model.scores(rows)
        out: list[Scored] = []
        start = 0
        for clauses in pieces:
            end = start + len(clauses)
            out.append((clauses, all_scores[start:end], all_nearest[start:end]))
            start = end
        return out

    def _decide(
        self, clauses: list[tuple[int | None, list[Token]]], scores: np.ndarray,
        nearest: np.ndarray,
    ) -> list[Suspicion]:
        # Safety first: when "any red flag" passes its recall-weighted threshold in
        # a piece of the text, the red flag that piece resembles most is suspected too.
        gate = self.codes.index(ANY_RED_FLAG)
        gated: dict[int, list[int]] = {}
        for flagged in np.flatnonzero(scores[:, gate] >= self.thresholds[ANY_RED_FLAG]):
            row = int(flagged)
            ratios = [
                (scores[row, i] / max(self.thresholds[c], 1e-6), i)
                for i, c in enumerate(self.codes) if c in self.red_flags
            ]
            if ratios:
                gated.setdefault(max(ratios)[1], []).append(row)
        found: list[Suspicion] = []
        for column, code in enumerate(self.codes):
            if code == ANY_RED_FLAG:
                continue
            if code in self.red_flags:
                # a red flag is raised through the "any red flag" score only, and
                # only as one the words resemble in their own right: a clause's
                # own evidence first, the whole text's when no clause has it
                rows = sorted(gated.get(column, []), key=lambda r: clauses[r][0] is None)
                rows = [r for r in rows
                        if scores[r, column] >= OWN_SCORE_SHARE * self.thresholds[code]]
            elif self.scope == "all" and scores[:, column].max() >= self.thresholds[code]:
                rows = [int(scores[:, column].argmax())]
            else:
                continue
            evidence = next((r for r in rows if nearest[r, column] >= 0 and _shares_a_word(
                clauses[r][1],
                self.example_stems[int(nearest[r, column])] & self.code_stems[code])), None)
            if evidence is None:
                continue  # no nearest example, or a likeness of letters alone
            number, words = clauses[evidence]
            example = int(nearest[evidence, column])
            found.append(Suspicion(
                code=code,
                words=" ".join(t.word for t in words),
                score=round(min(float(scores[evidence, column]), 1.0), 2),
                similar_to=self.examples[example].text,
                clause=number,
            ))
        return sorted(found, key=lambda s: -s.score)


# Per fitted model (by identity, while it lives): each text's scores before
# thresholds, shared by every reader of that model. A publish check reads the
# whole corpus with the draft and with the published version, and when only
# phrases differ they share the model: the second reading costs no products.
_SCORED: Final[dict[int, dict[str, Scored]]] = {}


def _scored_for(model: _Model) -> dict[str, Scored]:
    key = id(model)
    if key not in _SCORED:
        _SCORED[key] = {}
        weakref.finalize(model, _SCORED.pop, key, None)
    return _SCORED[key]


class PrecomputedReader(SimilarityReader):
    """A fitted reader whose answers for known texts were computed in batches."""

    def __init__(self, reader: SimilarityReader, texts: Sequence[str]) -> None:
        self.__dict__.update(reader.__dict__)
        self._reader = reader
        self._known: dict[str, list[Suspicion]] = {}
        self.learn(texts)

    def learn(self, texts: Sequence[str]) -> None:
        """Compute, in one batch, the answers for the texts not known yet."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._known))
        if not missing:
            return
        if type(self._reader).suspect_many is not SimilarityReader.suspect_many:
            found = self._reader.suspect_many(missing)  # a reader of its own kind
        else:
            scored = _scored_for(self._reader.model)
            new = [t for t in missing if t not in scored]
            if new:
                scored.update(zip(new, self._reader.scored(new), strict=True))
            found = [self._reader._decide(*scored[t]) if scored[t][0] else [] for t in missing]
        self._known.update(zip(missing, found, strict=True))

    def suspect_many(self, texts: Sequence[str]) -> list[list[Suspicion]]:
        self.learn(texts)
        return [self._known[t] for t in texts]
