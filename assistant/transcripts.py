"""Read a call transcript or the rep's post-call notes into speaker turns.

Accepted: plain text and Markdown (``.txt``, ``.md``), WebVTT (``.vtt``) and SubRip
(``.srt``). Speaker labels are kept: ``Dana Ruiz: ...``, ``**Dana:** ...``,
``[00:03:12] Tom Becker: ...``, ``<v Dana Ruiz>...</v>`` (VTT voice tags) and
``[Dana Ruiz] ...``. Notes without labels become turns without a speaker. Consecutive cues
of one speaker are merged into one turn; timestamps, cue numbers and markup are dropped.

Anything that cannot be read becomes a :class:`TranscriptError` that says what to fix:
binary files, encodings other than UTF-8 / UTF-16 with a BOM, files over
:data:`MAX_BYTES`, files with no text, unsupported extensions.

The text stays untrusted: this module only parses it. ``assistant.reflect`` quarantines
it and passes it to the model inside data blocks. Pure functions; reads the one file given.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.errors import HuddleError

MAX_BYTES = 1_000_000
FORMATS = ("txt", "md", "vtt", "srt")
_EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".vtt": "vtt",
               ".srt": "srt"}

# Words that end in a colon at the start of a line but are headings, not people.
NON_SPEAKERS = frozenset("""
note notes next-steps next-step action-items action-item actions summary agenda attendees
participants decision decisions budget timeline todo to-do open open-questions questions
question pain pains risk risks objective objectives outcome outcomes update re subject from
to cc bcc date time when where competitors competitor competition stakeholders takeaways
takeaway lesson lessons worked what-worked didn't-work what-didn't-work follow-up followup ps
p.s fyi tbd q a system assistant ai developer user http https warning important also context
background result results status goal goals why who what how owner owners due price pricing
contract legal security demo pilot call meeting email stage metrics champion economic-buyer
decision-process decision-criteria paper-process location duration recording transcript
inaudible crosstalk laughter music silence applause noise unknown speaker-unknown
""".split())
_NOISE_WORDS = (r"(?:inaudible|crosstalk|cross-talk|laughter|laughs|music|silence|applause|noise|"
                r"pause|unintelligible|background noise)")
_NOISE = re.compile(rf"^\[{_NOISE_WORDS}[^\]]*\]$", re.IGNORECASE)
_NOISE_ANYWHERE = re.compile(rf"[\[(]{_NOISE_WORDS}[^\])]*[\])]", re.IGNORECASE)

_TIMESTAMP = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_LEAD_TS = re.compile(rf"^\s*[\[(]?{_TIMESTAMP}[\])]?\s*[-–—]?\s*")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s*")
_QUOTE_MARK = re.compile(r"^\s*(?:>\s?)+")
_LABEL = re.compile(
    r"^(?:\*\*|__)?(?P<label>[^\W\d_][\w.'’-]*(?:[ ][\w.'’-]+){0,3})"
    r"(?:\s*\((?P<title>[^()]{1,60})\))?(?:\*\*|__)?\s*:(?:\*\*|__)?\s*(?P<text>.*)$"
)
_BRACKET_LABEL = re.compile(r"^\[(?P<label>[^\]\d][^\]]{0,40})\]\s*:?\s*(?P<text>.+)$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<name>[^>]+)>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_ASS_TAG = re.compile(r"\{\\[^}]*\}")
_TIMING = re.compile(rf"^\s*{_TIMESTAMP}\s*-->\s*{_TIMESTAMP}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.")


class TranscriptError(HuddleError):
    """The transcript file cannot be used; the message says what to change."""

    title = "Transcript"


@dataclass(frozen=True)
class Turn:
    """One stretch of speech (or one paragraph of notes)."""

    speaker: str | None
    text: str
    start: str | None = None  # the first timestamp, when the file had one

    def as_dict(self) -> dict[str, str | None]:
        return {"speaker": self.speaker, "text": self.text, "start": self.start}


@dataclass(frozen=True)
class Transcript:
    """A parsed transcript: its turns, the speakers' labels and titles, and its format."""

    turns: tuple[Turn, ...]
    format: str
    source: str = ""
    titles: dict[str, str] = field(default_factory=dict)  # speaker -> title in "(CFO)" labels

    @property
    def speakers(self) -> list[str]:
        """Speaker labels in order of first appearance."""
        seen: dict[str, None] = {}
        for t in self.turns:
            if t.speaker:
                seen.setdefault(t.speaker, None)
        return list(seen)

    @property
    def text(self) -> str:
        return "\n".join(f"{t.speaker}: {t.text}" if t.speaker else t.text for t in self.turns)

    @property
    def words(self) -> int:
        return sum(len(t.text.split()) for t in self.turns)

    def as_dict(self) -> dict[str, object]:
        return {"format": self.format, "source": self.source, "titles": dict(self.titles),
                "turns": [t.as_dict() for t in self.turns]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        turns = tuple(Turn(speaker=t.get("speaker"), text=str(t.get("text") or ""),
                           start=t.get("start"))
                      for t in data.get("turns") or [])
        return cls(turns=turns, format=str(data.get("format") or "txt"),
                   source=str(data.get("source") or ""), titles=dict(data.get("titles") or {}))


# ---- reading -------------------------------------------------------------------------------


def read_transcript(path: str | Path, *, known_speakers: Iterable[str] = ()) -> Transcript:
    """Parse the file at ``path``; :class:`TranscriptError` says what to fix when it can't."""
    p = Path(path).expanduser()
    fmt = _EXTENSIONS.get(p.suffix.lower())
    if fmt is None:
        raise TranscriptError(
            f"{p.name}: unsupported file type {p.suffix or '(none)'!r}. Save the notes or the "
            "transcript as .txt, .md, .vtt or .srt (plain text, UTF-8)."
        )
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise TranscriptError(f"{p}: no such file") from None
    except OSError as exc:
        raise TranscriptError(f"{p}: cannot read the file ({exc.strerror})") from None
    if size > MAX_BYTES:
        raise TranscriptError(
            f"{p.name} is {size:,} bytes; the limit is {MAX_BYTES:,}. Trim it to the call "
            "itself (drop chat logs and attachments) or split it into parts."
        )
    text = decode(p.read_bytes(), p.name)
    return parse_transcript(text, fmt=fmt, source=p.name, known_speakers=known_speakers)


def decode(data: bytes, name: str = "transcript") -> str:
    """UTF-8 (BOM optional) or UTF-16 with a BOM; anything else is refused with a fix."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TranscriptError(
                f"{name}: broken UTF-16 text at byte {exc.start}; re-save the file as UTF-8."
            ) from None
    if b"\x00" in data:
        raise TranscriptError(
            f"{name} looks binary (it contains NUL bytes). Export the transcript as text "
            "(.txt, .vtt or .srt) instead of a document or audio file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TranscriptError(
            f"{name} is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}). "
            "Re-save it as UTF-8 (in most editors: Save As → Encoding → UTF-8)."
        ) from None


def parse_transcript(
    text: str, *, fmt: str = "txt", source: str = "", known_speakers: Iterable[str] = ()
) -> Transcript:
    """Turns from text already in memory (``fmt``: txt, md, vtt or srt)."""
    if fmt not in FORMATS:
        raise TranscriptError(f"unknown transcript format {fmt!r}; formats: {', '.join(FORMATS)}")
    text = _ANSI.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text.replace("\t", " "))
    stripped = text.lstrip()
    if fmt in ("txt", "md") and stripped.startswith("WEBVTT"):
        fmt = "vtt"
    elif fmt in ("txt", "md") and re.match(r"\d+\s*\n\s*" + _TIMESTAMP + r"\s*-->", stripped):
        fmt = "srt"
    known = {k.strip().casefold() for k in known_speakers if k.strip()}
    if fmt in ("vtt", "srt"):
        raw = _cues(text, fmt)
    else:
        raw = _text_lines(text)
    turns, titles = _label_turns(raw, known, cues=fmt in ("vtt", "srt"))
    if not any(t.text.strip() for t in turns):
        where = source or "the transcript"
        raise TranscriptError(
            f"{where} has no text to reflect on. Paste the notes or the transcript itself "
            "(speaker labels like 'Dana Ruiz: ...' help)."
        )
    return Transcript(turns=tuple(turns), format=fmt, source=source, titles=titles)


# ---- formats -------------------------------------------------------------------------------

# A raw line: (speaker from a voice tag or None, text, timestamp, paragraph number, bullet?)
_Raw = tuple[str | None, str, str | None, int, bool]


def _cues(text: str, fmt: str) -> list[_Raw]:
    out: list[_Raw] = []
    blocks = re.split(r"\n\s*\n", text.strip())
    for n, block in enumerate(blocks):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        head = lines[0].split(" ", 1)[0].upper()
        if fmt == "vtt" and head in ("WEBVTT", "NOTE", "STYLE", "REGION"):
            continue
        timing = next((i for i, ln in enumerate(lines) if _TIMING.match(ln)), None)
        if timing is None:
            continue  # a cue without timing is not a cue
        start = lines[timing].split("-->")[0].strip()
        body = " ".join(lines[timing + 1 :])
        speaker = None
        voice = _VOICE.search(body)
        if voice:
            speaker = _clean_label(voice.group("name"))
        body = _ASS_TAG.sub("", _TAG.sub("", body))
        body = html.unescape(body).replace("\u00a0", " ").strip()
        body = re.sub(r"^-\s+", "", _NOISE_ANYWHERE.sub("", body)).strip()
        if body:
            out.append((speaker, body, start, n, False))
    return out


def _text_lines(text: str) -> list[_Raw]:
    out: list[_Raw] = []
    paragraph = 0
    in_front_matter = text.startswith("---\n")
    for i, line in enumerate(text.split("\n")):
        if in_front_matter:
            if i > 0 and line.strip() == "---":
                in_front_matter = False
            continue
        if not line.strip():
            paragraph += 1
            continue
        if line.strip() in ("---", "***", "___", "```"):
            continue
        start = None
        ts = _LEAD_TS.match(line)
        if ts and ts.end() < len(line):
            start = ts.group(0).strip(" []()-–—")
            line = line[ts.end() :]
        line = _HEADING.sub("", _QUOTE_MARK.sub("", line))
        bullet = bool(_BULLET.match(line)) or line != line.lstrip("#")
        line = _NOISE_ANYWHERE.sub("", _BULLET.sub("", line))
        line = line.replace("**", "").replace("__", "").strip()  # Markdown bold
        if line:
            out.append((None, line, start, paragraph, bullet))
    return out


def _clean_label(label: str) -> str:
    return " ".join(label.replace("**", "").replace("__", "").split()).strip(" .:-")


def _candidate(line: str) -> tuple[str, str | None, str] | None:
    """``(label, title, rest)`` when the line starts with something like a speaker label."""
    m = _LABEL.match(line)
    if m:
        label = _clean_label(m.group("label"))
        if label and len(label) <= 40:
            return label, (m.group("title") or "").strip() or None, m.group("text").strip()
    m = _BRACKET_LABEL.match(line)
    if m and not _NOISE.match(f"[{m.group('label')}]"):
        label = _clean_label(m.group("label"))
        if label and len(label) <= 40 and not any(ch.isdigit() for ch in label[:1]):
            return label, None, m.group("text").strip()
    return None


def _is_heading_word(label: str) -> bool:
    key = label.casefold().replace(" ", "-")
    return key in NON_SPEAKERS or key.rstrip("s") in NON_SPEAKERS


def _label_turns(
    raw: list[_Raw], known: set[str], *, cues: bool
) -> tuple[list[Turn], dict[str, str]]:
    # First pass: which labels are speakers? A label counts when it is a known person, a
    # full name (two or more capitalised words), occurs at least twice, or comes from a cue.
    found = [(_candidate(text) if speaker is None else None) for speaker, text, *_ in raw]
    counts = Counter(c[0].casefold() for c in found if c)
    accepted: set[str] = set()
    for c in found:
        if c is None:
            continue
        label = c[0]
        key = label.casefold()
        if _is_heading_word(label) or (not c[2] and not cues):
            continue
        words = label.split()
        capitalised = all(w[:1].isupper() for w in words)
        if (key in known or (len(words) >= 2 and capitalised) or counts[key] >= 2
                or (cues and capitalised)):
            accepted.add(key)

    turns: list[Turn] = []
    titles: dict[str, str] = {}
    current: list[str] = []
    cur_speaker: str | None = None
    cur_start: str | None = None
    cur_par = -1

    def flush() -> None:
        nonlocal current
        body = " ".join(current).strip()
        if body and not _NOISE.match(body):
            turns.append(Turn(speaker=cur_speaker, text=body, start=cur_start))
        current = []

    for (speaker, text, start, par, bullet), cand in zip(raw, found, strict=True):
        label_title = None
        if speaker is None and cand is not None and cand[0].casefold() in accepted:
            speaker, label_title, text = cand[0], cand[1], cand[2]
        if speaker is not None:
            if label_title:
                titles.setdefault(speaker, label_title)
            if cues and speaker == cur_speaker and current:
                current.append(text)  # consecutive cues of one speaker: one turn
                continue
            flush()
            cur_speaker, cur_start, cur_par = speaker, start, par
            current = [text]
            continue
        # no label: continues the labelled turn in the same paragraph / cue run, unless it is
        # a bullet or starts with a heading word ("Next steps: ...")
        if (current and cur_speaker is not None and (par == cur_par or cues) and not bullet
                and cand is None):
            current.append(text)
            continue
        flush()
        cur_speaker, cur_start, cur_par = None, start, par
        current = [text]
        if not cues:
            flush()  # each unlabelled line of notes is its own item
    flush()
    return turns, titles


__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "Transcript",
    "TranscriptError",
    "Turn",
    "decode",
    "parse_transcript",
    "read_transcript",
]
