"""Clean untrusted imported text: bound sizes, drop control characters, HTML to text, e-mail
quoted history and signatures trimmed.

Imported text is data, like any note: nothing here interprets it. ``assistant.safety`` flags
what reads like instructions to a model (the plan reports it; prep quarantines it again).
Pure functions; touches nothing.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

MAX_FIELD_CHARS = 300  # names, titles, subjects, stage names, contacts
MAX_BODY_CHARS = 60_000  # one note's body (the KB's file limit is 1 MB)

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.")


def clean(text: str | None) -> str:
    """Text without terminal escapes and control characters (newlines and tabs kept)."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", _ANSI.sub("", text)).replace("\t", "    ").replace("\u00a0", " ")
    lines = [ln.rstrip() for ln in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def one_line(text: str | None, limit: int = MAX_FIELD_CHARS) -> str:
    """A short field (name, title, subject): one line, at most ``limit`` characters."""
    value = " ".join(clean(text).split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def bound_body(text: str, limit: int = MAX_BODY_CHARS) -> tuple[str, int]:
    """``text`` cut to ``limit`` characters at a line end, and how many were dropped."""
    if len(text) <= limit:
        return text, 0
    cut = text.rfind("\n", 0, limit)
    cut = cut if cut > limit // 2 else limit
    dropped = len(text) - cut
    return text[:cut].rstrip() + f"\n\n[... {dropped:,} characters not imported]", dropped


# ---- HTML ------------------------------------------------------------------------------------

_BLOCK = frozenset("""p div br li ul ol tr table h1 h2 h3 h4 h5 h6 pre blockquote section article
header footer hr dt dd""".split())
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript"})


class _TextExtractor(HTMLParser):
    def __init__(self, drop_quotes: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.drop_quotes = drop_quotes
        self.stack: list[bool] = []  # per open element: does it start a skipped region?

    def _skipped(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in _SKIP:
            return True
        if not self.drop_quotes:
            return False
        classes = " ".join(v or "" for k, v in attrs if k == "class")
        ids = " ".join(v or "" for k, v in attrs if k == "id")
        return (tag == "blockquote" or "gmail_quote" in classes or "yahoo_quoted" in classes
                or "divRplyFwdMsg" in ids or "moz-cite-prefix" in classes)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr", "img", "meta", "link", "input"):  # void elements
            if tag in ("br", "hr") and not self.skip:
                self.parts.append("\n")
            return
        starts = self._skipped(tag, attrs)
        self.stack.append(starts)
        if starts:
            self.skip += 1
        elif tag in _BLOCK and not self.skip:
            self.parts.append("\n")
        if tag == "li" and not self.skip:
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "hr", "img", "meta", "link", "input") or not self.stack:
            return
        if self.stack.pop():
            self.skip -= 1
        elif tag in _BLOCK and tag != "li" and not self.skip:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str, *, drop_quotes: bool = True) -> str:
    """Visible text of an HTML document (scripts, styles and, optionally, quoted replies
    dropped; links keep their text, not their address)."""
    parser = _TextExtractor(drop_quotes)
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return clean("\n".join(lines))


# ---- e-mail bodies ---------------------------------------------------------------------------

_REPLY_HEADER = re.compile(
    r"^\s*(On\b.{0,200}\bwrote:|Le\b.{0,200}\ba écrit\s*:|Am\b.{0,200}\bschrieb.{0,60}:"
    r"|-{2,}\s*Original Message\s*-{2,}|_{10,})\s*$",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^\s*\*?From:\*?\s+.+$", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*\*?(Sent|Date|To|Subject):\*?\s", re.IGNORECASE)
_FORWARD = re.compile(r"^\s*-{2,}\s*Forwarded message\s*-{2,}\s*$|^\s*Begin forwarded message:",
                      re.IGNORECASE)
_SIGNOFF = re.compile(r"^(sent from my \w+|get outlook for \w+)", re.IGNORECASE)


def trim_reply(text: str) -> str:
    """An e-mail body without the quoted history below a reply and without the signature.

    Cuts at the first reply header ("On ... wrote:", "-----Original Message-----", an
    Outlook "From:/Sent:" block) and drops ``>`` quoted lines and the part after a ``-- ``
    signature delimiter. A forwarded message's own text is kept: that is the content.
    """
    lines = clean(text).split("\n")
    out: list[str] = []
    in_forward = False
    for i, line in enumerate(lines):
        if _FORWARD.match(line):
            in_forward = True
            out.append(line.strip())
            continue
        if not in_forward:
            if _REPLY_HEADER.match(line):
                break
            if (_OUTLOOK_FROM.match(line) and i + 1 < len(lines)
                    and _OUTLOOK_NEXT.match(lines[i + 1])):
                break
        if line.strip() in ("--", "-- ") and not in_forward:
            break  # signature delimiter
        if _SIGNOFF.match(line.strip()):
            continue
        if line.lstrip().startswith(">") and not in_forward:
            continue
        out.append(line)
    return clean("\n".join(_drop_signature(out)))


_CLOSING = re.compile(
    r"^(best|thanks|many thanks|thank you|regards|kind regards|best regards|warm regards|"
    r"cheers|sincerely|all the best|talk soon)[ ,.!]*(\w+[,.!]?)?$", re.IGNORECASE)


def _drop_signature(lines: list[str]) -> list[str]:
    """Drop a closing ("Best,") and the short lines after it (name, title, phone)."""
    tail_start = max(0, len(lines) - 10)
    for i in range(len(lines) - 1, tail_start - 1, -1):
        if _CLOSING.match(lines[i].strip()):
            rest = [ln for ln in lines[i + 1 :] if ln.strip()]
            if len(rest) <= 8 and all(len(ln) <= 80 for ln in rest) and i > 0:
                return lines[:i]
            break
    return lines
