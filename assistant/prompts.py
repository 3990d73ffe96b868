"""Prompt templates as files: load ``prompts/<name>.md`` and render it to chat messages.

A prompt file is Markdown with YAML front matter (``name``, ``version``, ``description``,
``inputs``, ``output``) and a body of exactly two sections, ``## system`` then ``## user``,
rendered with jinja2 and ``StrictUndefined`` (see ``prompts/README.md``). Untrusted text goes
through the ``data`` filter, which wraps it in a delimited block after neutralising the
delimiters and terminal escapes, or ``datamark``, which also starts every line of the block
with ``│`` (spotlighting); both are refused in the system section.

Reads only the ``prompts/`` folder at the top of the checkout. Imports nothing heavy.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import yaml
from jinja2.sandbox import SandboxedEnvironment

import assistant
from knowledge.errors import HuddleError

log = logging.getLogger(__name__)

PROMPTS_DIR = Path(assistant.__file__).resolve().parent.parent / "prompts"

DATA_OPEN = "<<<DATA"
DATA_CLOSE = "DATA>>>"
DATA_MARK = "\u2502 "  # "│ ": starts every line of a datamarked block (spotlighting)

_REQUIRED_KEYS = ("name", "version", "description", "inputs", "output")
_SECTION = re.compile(r"^##[ \t]+(system|user)[ \t]*$", re.MULTILINE | re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_DATA_IN_TEMPLATE = re.compile(r"\|\s*(?:data|datamark)\b")

# Terminal escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/PM/APC/SOS
# strings (ESC P/^/_/X ... ST), other two-byte ESC sequences, and their 8-bit C1 forms.
_ANSI = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]               # CSI
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?  # OSC, terminated by BEL or ST (or cut off)
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?       # DCS, SOS, PM, APC
    | \x1b[@-Z\\-_]                       # other Fe escapes
    | \x1b[ -/]*[0-~]                     # nF / Fp / Fs escapes
    | \x9b[0-?]*[ -/]*[@-~]               # 8-bit CSI
    | \x9d[^\x07\x9c]*(?:\x07|\x9c)?      # 8-bit OSC
    """,
    re.VERBOSE,
)
_OPEN_LIKE = re.compile(r"<<<\s*DATA", re.IGNORECASE)
_CLOSE_LIKE = re.compile(r"DATA\s*>>>", re.IGNORECASE)
# Bidirectional overrides and isolates can make text read differently from what it is.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._:/@#-]")


class PromptError(HuddleError):
    """A prompt file is malformed, or was rendered with missing or unknown variables."""

    title = "Prompt error"


# ---- the data filter -------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """Untrusted text made safe to embed: no terminal escapes, controls or data delimiters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI.sub("", text)
    text = text.translate(_BIDI)
    text = "".join(
        ch for ch in text
        if ch in "\n\t" or unicodedata.category(ch) != "Cc"
    )
    # Replace the '<' / '>' of anything that reads like a delimiter; the replacement has no
    # angle brackets, so it cannot form a new delimiter.
    text = _OPEN_LIKE.sub(lambda m: "\u2039\u2039\u2039" + m.group(0)[3:], text)
    text = _CLOSE_LIKE.sub(lambda m: m.group(0)[:-3] + "\u203a\u203a\u203a", text)
    return text


def data_block(value: Any, block_id: Any = None) -> str:
    """``{{ note.body | data(note.id) }}``: ``<<<DATA id=...`` + neutralised text + ``DATA>>>``."""
    text = "" if value is None else neutralise(str(value))
    header = DATA_OPEN
    if block_id is not None and str(block_id) != "":
        header += " id=" + _ID_UNSAFE.sub("_", neutralise(str(block_id)))[:120]
    return f"{header}\n{text}\n{DATA_CLOSE}"


def datamark_block(value: Any, block_id: Any = None) -> str:
    """``{{ note.body | datamark(note.id) }}``: a data block whose every line starts with ``│``.

    Spotlighting by datamarking (Hines et al., 2024): inside the block no line can pass for
    an instruction, a role marker or the end of the data, because each one visibly carries
    the mark the system prompt names as "data". A ``│`` already in the text is dropped so the
    mark stays unambiguous.
    """
    block = data_block(value, block_id)
    head, _, rest = block.partition("\n")
    body, _, _ = rest.rpartition("\n")
    lines = [DATA_MARK + line.replace("\u2502", "") for line in body.split("\n")]
    return "\n".join([head, *lines, DATA_CLOSE])


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["data"] = data_block
    env.filters["datamark"] = datamark_block
    return env


_ENV = _environment()


# ---- prompts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prompt:
    """One prompt file: its front matter and its two compiled sections."""

    name: str
    version: str
    description: str
    inputs: tuple[str, ...]
    output: str
    system_source: str
    user_source: str
    path: Path

    @property
    def id(self) -> str:
        """``name@version``: what a plan or an eval report records."""
        return f"{self.name}@{self.version}"

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """The chat messages (system, then user) for these variables.

        Every name in ``inputs`` must be given and nothing else; a variable the template
        uses but that is undefined (e.g. a misspelt attribute) also raises PromptError.
        """
        given = set(variables)
        declared = set(self.inputs)
        missing = sorted(declared - given)
        extra = sorted(given - declared)
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing {', '.join(missing)}")
            if extra:
                parts.append(f"unexpected {', '.join(extra)}")
            raise PromptError(
                f"Prompt {self.id} ({self.path.name}) rendered with wrong variables: "
                f"{'; '.join(parts)}. Its inputs are: {', '.join(self.inputs) or '(none)'}."
            )
        messages = []
        for role, source in (("system", self.system_source), ("user", self.user_source)):
            try:
                text = _compile(source).render(**variables)
            except jinja2.UndefinedError as exc:
                raise PromptError(
                    f"Prompt {self.id} ({self.path.name}), {role} section: {exc.message}. "
                    "Check the variable names in the template and what the caller passes."
                ) from exc
            except jinja2.TemplateError as exc:
                raise PromptError(
                    f"Prompt {self.id} ({self.path.name}), {role} section failed: {exc}"
                ) from exc
            messages.append({"role": role, "content": text.strip()})
        return messages


@functools.lru_cache(maxsize=256)
def _compile(source: str) -> jinja2.Template:
    return _ENV.from_string(source)


def _split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise PromptError(
            f"{path}: a prompt file starts with YAML front matter between '---' lines."
        )
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            try:
                meta = yaml.safe_load("".join(lines[1:i])) or {}
            except yaml.YAMLError as exc:
                raise PromptError(f"{path}: front matter is not valid YAML: {exc}") from exc
            if not isinstance(meta, dict):
                raise PromptError(f"{path}: front matter must be a mapping of keys to values.")
            return meta, "".join(lines[i + 1 :])
    raise PromptError(f"{path}: the front matter has no closing '---' line.")


def _split_sections(body: str, path: Path) -> tuple[str, str]:
    found = list(_SECTION.finditer(body))
    roles = [m.group(1).lower() for m in found]
    if roles != ["system", "user"]:
        raise PromptError(
            f"{path}: the body needs exactly two sections, a '## system' line then a "
            f"'## user' line (found: {', '.join(roles) or 'none'})."
        )
    if body[: found[0].start()].strip():
        raise PromptError(f"{path}: text before '## system' is not allowed.")
    system = body[found[0].end() : found[1].start()]
    user = body[found[1].end() :]
    return system.strip("\n"), user.strip("\n")


def parse_prompt(path: Path) -> Prompt:
    """Read and check one prompt file (no caching; see :func:`load_prompt`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"Cannot read prompt file {path}: {exc}") from exc
    meta, body = _split_front_matter(text, path)
    missing = [k for k in _REQUIRED_KEYS if k not in meta]
    if missing:
        raise PromptError(f"{path}: front matter lacks {', '.join(missing)}.")
    name = str(meta["name"])
    if name != path.stem:
        raise PromptError(f"{path}: front matter name {name!r} differs from the file name.")
    inputs = meta["inputs"] or []
    if not isinstance(inputs, list) or not all(
        isinstance(i, str) and i.isidentifier() for i in inputs
    ):
        raise PromptError(f"{path}: 'inputs' must be a list of variable names.")
    if len(set(inputs)) != len(inputs):
        raise PromptError(f"{path}: 'inputs' lists a name twice.")
    version = str(meta["version"]).strip()
    if not version:
        raise PromptError(f"{path}: 'version' is empty.")
    system, user = _split_sections(body, path)
    if _DATA_IN_TEMPLATE.search(system):
        raise PromptError(
            f"{path}: the system section uses the 'data' filter. Untrusted text belongs in "
            "the user section only."
        )
    used: set[str] = set()
    for role, source in (("system", system), ("user", user)):
        try:
            used |= jinja2.meta.find_undeclared_variables(_ENV.parse(source))
        except jinja2.TemplateSyntaxError as exc:
            raise PromptError(
                f"{path}, {role} section, line {exc.lineno}: template error: {exc.message}"
            ) from exc
    undeclared = sorted(used - set(inputs))
    if undeclared:
        raise PromptError(
            f"{path}: the template uses {', '.join(undeclared)} but 'inputs' does not list "
            "them. Add them to inputs or fix the spelling."
        )
    unused = sorted(set(inputs) - used)
    if unused:
        log.warning("%s: inputs %s are not used by the template", path, ", ".join(unused))
    return Prompt(
        name=name,
        version=version,
        description=str(meta["description"]),
        inputs=tuple(inputs),
        output=str(meta["output"]),
        system_source=system,
        user_source=user,
        path=path,
    )


def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """The prompt ``<directory or prompts/>/<name>.md``, parsed once per process."""
    if not _NAME.match(name):
        raise PromptError(f"{name!r} is not a prompt name (letters, digits, '_', '-', '.').")
    return _load_cached(name, (directory or PROMPTS_DIR).resolve())


@functools.lru_cache(maxsize=128)
def _load_cached(name: str, directory: Path) -> Prompt:
    path = directory / f"{name}.md"
    if not path.is_file():
        raise PromptError(f"No prompt named {name!r}: {path} does not exist.")
    return parse_prompt(path)


def clear_prompt_cache() -> None:
    """Forget parsed prompts (after editing a prompt file in a long-running process)."""
    _load_cached.cache_clear()


def list_prompts(directory: Path | None = None) -> list[str]:
    """Names of the prompt files in ``directory`` (README.md excluded)."""
    folder = directory or PROMPTS_DIR
    return sorted(p.stem for p in folder.glob("*.md") if p.name.lower() != "readme.md")
