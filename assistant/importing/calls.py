"""Meeting transcripts as call notes: ``.vtt`` (Zoom, Teams), ``.srt``, and the plain-text
exports of Zoom, Teams and Google Meet (``Speaker: text`` lines, or Zoom's ``[Speaker]
10:02:15`` headings).

Parsing is ``assistant.transcripts`` (the same reader the reflection uses; no subtitle
library is installed). The account is the sub-folder the file sits in (a slug or an
account name; ``SOURCE/acme/2026-10-02-discovery.vtt``) or a ``transcripts`` glob in the
mapping; the date is the ``YYYY-MM-DD`` in the file name. Reads the files given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from assistant.importing.records import Batch, Skipped, SourceNote
from assistant.importing.text import bound_body, one_line
from assistant.transcripts import TranscriptError, decode, parse_transcript

SYSTEM = "transcript"
EXTENSIONS = {".vtt": "vtt", ".srt": "srt", ".txt": "txt", ".md": "md"}
MAX_BYTES = 1_000_000
_DATE = re.compile(r"(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])")
_ZOOM_HEADING = re.compile(r"^\[(?P<name>[^\]\d][^\]]{0,60})\]\s+\d{1,2}:\d{2}(?::\d{2})?\s*$",
                           re.MULTILINE)


def read_transcripts(source: Path, team_names: Iterable[str] = ()) -> Batch:
    batch = Batch(system=SYSTEM)
    team = {n.casefold(): n for n in team_names}
    if source.is_file():
        files, base = [source], source.parent
    elif source.is_dir():
        files = sorted(p for p in source.rglob("*")
                       if p.is_file() and p.suffix.casefold() in EXTENSIONS
                       and not any(part.startswith((".", "_"))
                                   for part in p.relative_to(source).parts))
        base = source
    else:
        raise FileNotFoundError(f"{source}: no such file or folder")
    if not files:
        batch.skipped.append(Skipped(str(source), "no .vtt, .srt, .txt or .md transcripts found"))
    for path in files:
        rel = path.relative_to(base).as_posix()
        if path.stat().st_size > MAX_BYTES:
            batch.skipped.append(Skipped(rel, f"file is over {MAX_BYTES:,} bytes: split it"))
            continue
        m = _DATE.search(path.name)
        try:
            when = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
        except ValueError:
            when = None
        if when is None:
            batch.skipped.append(Skipped(rel, "no date in the file name: rename it to start "
                                              "with the call's date, e.g. 2026-10-02-acme.vtt"))
            continue
        try:
            text = decode(path.read_bytes(), rel)
            fmt = EXTENSIONS[path.suffix.casefold()]
            if fmt in ("txt", "md"):  # Zoom's "[Name] 10:02:15" and Meet's "Name" + newline
                text = _ZOOM_HEADING.sub(lambda mm: mm.group("name") + ":", text)
                text = re.sub(r"^(?P<n>[^\n:]{1,60}):[ \t]*\n(?=\S)", r"\g<n>: ", text,
                              flags=re.M)
            transcript = parse_transcript(text, fmt=fmt,
                                          source=rel, known_speakers=team.values())
        except TranscriptError as exc:
            batch.skipped.append(Skipped(rel, exc.message))
            continue
        ours = [s for s in transcript.speakers if s.casefold() in team]
        theirs = [s for s in transcript.speakers if s.casefold() not in team]
        contacts = [one_line(f"{s} ({transcript.titles[s]})" if s in transcript.titles else s)
                    for s in theirs][:12]
        body, dropped = bound_body(transcript.text)
        if dropped:
            batch.warnings.append(f"{rel}: transcript cut, {dropped:,} characters not imported")
        folder = path.relative_to(base).parts[0] if len(path.relative_to(base).parts) > 1 else ""
        batch.notes.append(SourceNote(
            SYSTEM, "call", rel, rel, when, "call", body, account_ref=folder,
            author=team[ours[0].casefold()] if ours else "", contacts=contacts,
            title=one_line(path.stem.replace("_", " ")), source_file=rel,
        ))
    return batch
