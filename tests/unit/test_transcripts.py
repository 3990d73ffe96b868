"""Reading notes and transcripts into speaker turns: formats, labels, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.transcripts import (
    MAX_BYTES,
    TranscriptError,
    parse_transcript,
    read_transcript,
)

VTT = """WEBVTT
Kind: captions

NOTE exported from the meeting tool

1
00:00:01.000 --> 00:00:04.200
<v Dana Ruiz>The board approved &amp; signed off $65k.</v>

2
00:00:04.200 --> 00:00:06.000 align:start position:10%
<v Dana Ruiz>For the pilot in Q2.</v>

00:00:06.000 --> 00:00:08.000
<v.loud Avery Cole>Great, <i>thanks</i>.</v>

00:00:08.000 --> 00:00:09.000
Tom Becker: we re-plan by hand
"""

SRT = """1
00:00:01,000 --> 00:00:04,000
Dana Ruiz: Budget is $65k.

2
00:00:04,000 --> 00:00:06,000
[inaudible]

3
00:00:06,000 --> 00:00:08,000
<i>Avery Cole:</i> Noted, thanks.

4
00:00:08,000 --> 00:00:09,000
and the pilot starts in Q2
"""


def test_plain_text_keeps_speaker_labels_and_titles() -> None:
    t = parse_transcript(
        "Avery Cole: Thanks for the time.\n"
        "Dana Ruiz (CFO): The budget is $65k.\n"
        "It covers two terminals.\n\n"
        "[00:03:12] Tom: We plan by hand.\n"
        "Tom: Three hours a day.\n"
        "Next steps: send the outline\n"
        "- Budget: confirmed\n"
    )
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("Avery Cole", "Thanks for the time."),
        ("Dana Ruiz", "The budget is $65k. It covers two terminals."),
        ("Tom", "We plan by hand."),
        ("Tom", "Three hours a day."),
        (None, "Next steps: send the outline"),  # a heading, not a person
        (None, "Budget: confirmed"),
    ]
    assert t.speakers == ["Avery Cole", "Dana Ruiz", "Tom"]
    assert t.titles == {"Dana Ruiz": "CFO"}
    assert t.turns[2].start == "00:03:12"


def test_markdown_notes_without_labels_are_turns_without_speaker() -> None:
    t = parse_transcript("# Call with Acme\n\n- Dana confirmed the budget\n"
                         "- **Tom:** wants CSV export\n\nOpen: who signs?\n", fmt="md")
    assert [(x.speaker, x.text) for x in t.turns] == [
        (None, "Call with Acme"), (None, "Dana confirmed the budget"),
        (None, "Tom: wants CSV export"),  # one-off single word: not trusted as a speaker
        (None, "Open: who signs?"),
    ]
    known = parse_transcript("- **Tom:** wants CSV export\n", fmt="md", known_speakers=["Tom"])
    assert known.turns[0].speaker == "Tom"


def test_vtt_voice_tags_cues_merged_markup_removed() -> None:
    t = parse_transcript(VTT, fmt="vtt")
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("Dana Ruiz", "The board approved & signed off $65k. For the pilot in Q2."),
        ("Avery Cole", "Great, thanks."),
        ("Tom Becker", "we re-plan by hand"),
    ]
    assert t.turns[0].start == "00:00:01.000"
    assert t.format == "vtt"


def test_srt_labels_noise_and_continuations() -> None:
    t = parse_transcript(SRT, fmt="srt")
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("Dana Ruiz", "Budget is $65k."),
        ("Avery Cole", "Noted, thanks. and the pilot starts in Q2"),
    ]


def test_format_is_sniffed_from_content(tmp_path: Path) -> None:
    p = tmp_path / "call.txt"
    p.write_text(VTT, encoding="utf-8")
    assert read_transcript(p).format == "vtt"
    p.write_text(SRT, encoding="utf-8")
    assert read_transcript(p).format == "srt"


def test_encodings(tmp_path: Path) -> None:
    p = tmp_path / "call.txt"
    p.write_bytes("\ufeffDana Ruiz: Grüße, €65k.".encode())
    assert read_transcript(p).turns[0].text == "Grüße, €65k."
    p.write_bytes("Dana Ruiz: Grüße, €65k.".encode("utf-16"))
    assert read_transcript(p).turns[0].text == "Grüße, €65k."
    p.write_bytes("Dana Ruiz: Grüße".encode("latin-1"))
    with pytest.raises(TranscriptError, match=r"not UTF-8 \(byte 0xfc at offset 13\).*UTF-8"):
        read_transcript(p)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("call.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "looks binary"),
    ("call.docx", b"PK\x03\x04", "unsupported file type '.docx'"),
    ("call.pdf", b"%PDF-1.7", "Save the notes or the transcript as .txt, .md, .vtt or .srt"),
    ("call.txt", b"  \n\n \n", "has no text to reflect on"),
    ("call.vtt", b"WEBVTT\n\nNOTE nothing here\n", "has no text to reflect on"),
])
def test_unusable_files_say_what_to_fix(tmp_path: Path, name: str, data: bytes,
                                        message: str) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(TranscriptError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_transcript(p)


def test_huge_and_missing_files(tmp_path: Path) -> None:
    p = tmp_path / "call.txt"
    with p.open("wb") as f:
        f.write(b"Dana: x\n" * (MAX_BYTES // 8 + 10))
    with pytest.raises(TranscriptError, match=r"limit is 1,000,000\. Trim it"):
        read_transcript(p)
    with pytest.raises(TranscriptError, match="no such file"):
        read_transcript(tmp_path / "nope.txt")


def test_control_characters_and_escapes_are_stripped() -> None:
    t = parse_transcript("Dana Ruiz: budget \x1b[31mred\x1b[0m ok\x07\u202e\n")
    assert t.turns[0].text == "budget red ok"


def test_round_trip_through_json() -> None:
    from assistant.transcripts import Transcript

    t = parse_transcript("Dana Ruiz (CFO): The budget is $65k.\n")
    again = Transcript.from_dict(t.as_dict())
    assert again == t
