"""CSV exports read with the csv module: header aliases, line numbers, dates and numbers.

A malformed row (wrong field count, a date or amount that does not parse) becomes a
:class:`Skipped` with its file and line; the rest of the file still imports. Reads only
the file it is given.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.importing.records import Skipped

MAX_CSV_BYTES = 200_000_000
csv.field_size_limit(1_000_000)


@dataclass
class Row:
    """One CSV record: its values by header, and the line it starts on."""

    values: dict[str, str]
    line: int
    origin: str

    def get(self, *names: str) -> str:
        """The first non-empty value among the columns ``names`` (case-insensitive)."""
        for name in names:
            value = self.values.get(name.casefold())
            if value is not None and value.strip():
                return value.strip()
        return ""


def read_rows(path: Path, skipped: list[Skipped], *,
              label: str = "") -> tuple[list[str], list[Row]]:
    """The header and the well-formed rows of a CSV file; bad rows go to ``skipped``."""
    name = label or path.name
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        skipped.append(Skipped(name, f"file is {size:,} bytes; the limit is {MAX_CSV_BYTES:,}: "
                                     "export fewer rows per file"))
        return [], []
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        skipped.append(Skipped(name, "not UTF-8: read as Windows-1252; export as UTF-8 to be "
                                     "sure names and accents are right (the rows were imported)"))
    if "\x00" in text:
        skipped.append(Skipped(name, "binary file (NUL bytes): export the object as CSV"))
        return [], []
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        skipped.append(Skipped(name, "empty file or no header row"))
        return [], []
    keys = [h.strip().casefold() for h in header]
    rows: list[Row] = []
    start = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            skipped.append(Skipped(f"{name}:{start}", f"unreadable CSV ({exc}); row skipped"))
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not any(v.strip() for v in record):
            continue
        if len(record) != len(keys):
            skipped.append(Skipped(
                f"{name}:{line}",
                f"row has {len(record)} fields; the header has {len(keys)} (an unquoted comma "
                "or a cut line?)",
            ))
            continue
        rows.append(Row(dict(zip(keys, record, strict=True)), line, f"{name}:{line}"))
    return [h.strip() for h in header], rows


def rows_of(source: Path, names: tuple[str, ...],
            skipped: list[Skipped]) -> tuple[str, list[str], list[Row]] | None:
    """The first CSV in folder ``source`` whose stem is one of ``names`` (case-insensitive)."""
    wanted = {n.casefold() for n in names}
    for path in sorted(source.glob("*.csv")):
        if path.stem.casefold().replace(" ", "").replace("_", "") in wanted:
            header, rows = read_rows(path, skipped)
            return path.name, header, rows
    return None


# ---- values ----------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%z",
                 "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d")


class BadValue(ValueError):
    """A value that does not parse; the message says what was expected."""


def parse_date(value: str, date_format: str | None = None) -> dt.date | None:
    """A date from an export: ISO dates and datetimes (Data Loader, HubSpot), epoch
    milliseconds (HubSpot API dumps), or ``date_format`` (report exports, e.g. %m/%d/%Y)."""
    value = value.strip()
    if not value:
        return None
    if date_format:
        try:
            return dt.datetime.strptime(value, date_format).date()
        except ValueError:
            pass
    if re.fullmatch(r"\d{12,13}", value):
        return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC).date()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        pass
    hint = f" or {date_format}" if date_format else "; set date_format in the mapping"
    raise BadValue(f"date {value!r} is not YYYY-MM-DD{hint}")


def parse_amount(value: str) -> float | None:
    text = value.strip().replace(",", "").replace("$", "").replace("€", "").replace("£", "")
    text = re.sub(r"^[A-Z]{3}\s*", "", text)  # "USD 1200"
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise BadValue(f"amount {value!r} is not a number") from None


def parse_bool(value: str) -> bool | None:
    text = value.strip().casefold()
    if text in ("true", "1", "yes", "y"):
        return True
    if text in ("false", "0", "no", "n"):
        return False
    return None


def split_ids(value: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;,]", value) if p.strip()]

