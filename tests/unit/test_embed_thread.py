"""A batch is encoded in a thread that ends with it (torch's OpenMP workers end with it, so
the embedded LLM's OpenMP barriers keep spinning: see ``knowledge.embeddings``)."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from knowledge import embeddings


class Model:
    def __init__(self, fail: bool = False) -> None:
        self.threads: list[threading.Thread] = []
        self.fail = fail

    def encode(self, texts: list[str], **kw: Any) -> Any:
        self.threads.append(threading.current_thread())
        if self.fail:
            raise RuntimeError("out of memory")
        return np.ones((len(texts), 3)) / np.sqrt(3)


def test_a_batch_is_encoded_in_a_thread_that_has_ended(monkeypatch: pytest.MonkeyPatch) -> None:
    model = Model()
    monkeypatch.setattr(embeddings, "get_model", lambda: model)
    vectors = embeddings.embed(["a", "b"])
    assert len(vectors) == 2 and len(vectors[0]) == 3
    (worker,) = model.threads
    assert worker is not threading.current_thread() and worker.name == "huddle-embed"
    assert not worker.is_alive()


def test_an_error_in_the_encode_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings, "get_model", lambda: Model(fail=True))
    with pytest.raises(RuntimeError, match="out of memory"):
        embeddings.embed(["a", "b"])
