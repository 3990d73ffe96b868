"""Cleaning imported text: control characters, bounds, HTML, quoted history, signatures."""

from __future__ import annotations

import pytest

from assistant.importing.tables import BadValue, parse_amount, parse_date
from assistant.importing.text import bound_body, clean, html_to_text, one_line, trim_reply


def test_clean_drops_escapes_and_control_characters_but_keeps_lines() -> None:
    text = "Budget \x1b[31mred\x1b[0m ok\x00\x07\r\nnext\u202eline\u200b"
    assert clean(text) == "Budget red ok\nnextline"


def test_fields_and_bodies_are_bounded() -> None:
    assert len(one_line("x" * 1000)) == 300 and "\n" not in one_line("a\nb")
    body = "\n".join(f"line {i} " + "y" * 50 for i in range(2000))
    cut, dropped = bound_body(body, limit=10_000)
    assert dropped > 0 and len(cut) < 10_100 and cut.endswith("characters not imported]")
    assert bound_body("short") == ("short", 0)


def test_html_becomes_text_without_scripts_or_quoted_replies() -> None:
    html = ("<style>x{}</style><p>Hello&nbsp;<b>Dana</b></p><ul><li>one</li><li>two</li></ul>"
            "<blockquote>old</blockquote><script>evil()</script><a href='http://x'>link</a>")
    assert html_to_text(html) == "Hello Dana\n\n- one\n- two\nlink"


def test_reply_history_and_signatures_are_trimmed() -> None:
    outlook = ("Agreed, send it.\n\nThanks,\nTom Becker\nHead of Ops\n\n"
               "From: Avery Cole <a@b.example>\nSent: Monday\nTo: Tom\nSubject: x\n\nold")
    assert trim_reply(outlook) == "Agreed, send it."
    assert trim_reply("New text\n-----Original Message-----\nold") == "New text"
    assert trim_reply("Hi\n> quoted\nmore\n-- \nsig") == "Hi\nmore"


def test_dates_and_amounts_from_exports() -> None:
    assert parse_date("2026-03-18T17:05:00.000Z").isoformat() == "2026-03-18"  # type: ignore[union-attr]
    assert parse_date("2026-09-29 10:12").isoformat() == "2026-09-29"  # type: ignore[union-attr]
    assert parse_date("3/18/2026", "%m/%d/%Y").isoformat() == "2026-03-18"  # type: ignore[union-attr]
    assert parse_date("") is None
    with pytest.raises(BadValue, match="set date_format"):
        parse_date("18.03.2026")
    assert parse_amount("$96,000.50") == 96000.5 and parse_amount("") is None
    with pytest.raises(BadValue):
        parse_amount("lots")
