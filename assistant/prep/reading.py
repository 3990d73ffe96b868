"""Read the evidence for a plan: the judgement sections code composes, before the model writes.

``read_evidence`` cuts the clean notes into sentences and returns, as plain data for the
graph state: the exit-criteria gap (criteria still ``undecided`` carry their best sentences
for one narrow model question each), the customer's objections with who answers them, open
items, risks with mitigations, and each buyer's own lines. ``apply_answers`` folds the
model's narrow answers back in. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from assistant.containment import (
    commercial,
    demand,
    document,
    fold,
    oblique,
    ours_only,
    settles,
)
from assistant.containment import our_figures as figures_of_ours
from assistant.injection import sentences as sentence_spans
from assistant.prep.buyers import buyer_lines
from assistant.prep.criteria import CriterionRead, read_criteria
from assistant.prep.objections import find_objections, find_open_items
from assistant.prep.risks import find_risks
from assistant.prep.rivals import named_rivals
from assistant.prep.sentences import Sentence, pool, short
from assistant.provenance import customer_spans, delimited_paste

MAX_CRITERION_QUESTIONS = 3  # narrow model calls per plan, at most
DOCUMENT_SENTENCES = 8  # a pasted card, certificate or memo is short; a long block is a note


def _people(g: dict[str, Any], contacts: list[str]) -> list[str]:
    names = [b["name"] for b in g["buyers"]] + contacts
    return list(dict.fromkeys(n for n in names if n))


def _criterion_row(r: CriterionRead) -> dict[str, Any]:
    return {
        "criterion": r.criterion, "status": r.status,
        "quote": short(r.quote.text, 240) if r.quote else "", "cites": r.cites,
        "decided_by": r.decided_by,
        "related": [{"text": short(s.text, 240), "note_id": s.note_id} for s in r.related],
    }


def rivals_of(g: dict[str, Any], sentences: list[Sentence], people: list[str],
              stories: list[dict[str, Any]] | None = None) -> list[str]:
    """The competitors the clean notes name (``assistant.prep.rivals``), and the stories'
    competitors they mention; never a person, the account, our own company (the domain of
    our sellers' e-mail) or the customer of one of our stories (a reference: "Reference call
    with Halloway offered")."""
    ours = [str(p.get("email") or "").partition("@")[2].split(".")[0] for p in g.get("people", [])]
    customers = [m.group(0) for st in stories or ()
                 if (m := re.match(r"[A-Z][\w&'’-]+", str(st.get("title") or "")))]
    exclude = [*people, *g.get("team", []), g.get("account_name", ""), g.get("account", ""),
               *ours, str(g.get("stage") or ""), str(g.get("next_stage") or ""), *customers]
    return named_rivals([s.text for s in sentences], known=list(g.get("competitors", [])),
                        exclude=[x for x in exclude if x])


Judge = Callable[[str, bool], str | None]


def _judge(rivals: tuple[str, ...], known: tuple[str, ...] | None,
           ours: set[str]) -> Judge:
    """What a customer's sentence claims (``settles``, else ``commercial``), or None: a term
    of our deal whose amounts and percentages our own notes carry too (``ours``) is ours as
    well: a count said beside them ("more than we clear on two studies") is theirs to say."""
    def judge(raw: str, in_document: bool = False) -> str | None:
        what = settles(raw, rivals, in_document=in_document)
        if what is not None:
            return what
        if not _rivals_say(raw, rivals) and (what := commercial(raw, known)) is not None \
                and ours_only(raw, ours, money_only=True):
            return None  # our own note states the same amounts and percentages
        return what
    return judge


def _rivals_say(raw: str, rivals: tuple[str, ...]) -> bool:
    """A rival named beside the figure: their quote or deal, not ours ("FleetCo quoted
    $31")."""
    flat = fold(raw)
    return any(re.search(rf"(?<!\w){re.escape(r)}(?!\w)", flat, re.IGNORECASE)
               for r in rivals if r.strip())


def _spans(note: dict[str, Any], team: list[str]) -> list[tuple[int, int]]:
    """Provenance's customer parts of a note; in our rep's e-mail note whose paste is marked
    off by quote markers alone ("> ..." lines, quoted speech), only the paste: the rep's own
    lines around it are ours (northgate-n06: "So Richard Hale is no longer the economic
    buyer; Angela Moreau is.")."""
    text = note.get("full_text") or ""
    author = str(note.get("author") or "")
    ours = author.casefold() in {t.casefold() for t in team}
    kind = str(note.get("kind") or "")
    spans = customer_spans(text, kind=kind, ours=ours, team=team, author=author)
    if ours and kind == "email" and spans == [(0, len(text))] and delimited_paste(text, team):
        spans = customer_spans(text, kind="note", ours=True, team=team, author=author)
    return spans


def _claim_texts(note: dict[str, Any], team: list[str], rivals: tuple[str, ...] = (),
                 speakers: tuple[str, ...] = (), ours: set[str] | None = None
                 ) -> list[tuple[str, str]]:
    """The sentences of a note's customer (or pasted) parts, in provenance's sense, that
    state a changed or settled deal state or a term of our deal (``containment.commercial``),
    as the note writes them, with what each states.
    Only those parts are read: our rep's "Verbal commitment from Ken: "We're doing this.""
    is our note; the customer's words in it are "We're doing this.", which settle nothing.
    ``speakers``: the account's people (not our team); a line a note gives to one of them
    by name or first name ("Dana: where we landed last week ...") is theirs too. ``ours``:
    the figures our own notes state (a customer's term with only those figures is no
    claim)."""
    if note.get("doc_type", "note") != "note":
        return []
    text = note.get("full_text") or ""
    known = tuple(dict.fromkeys([*speakers, *team, *(str(c).split("(")[0].strip()
                                                     for c in note.get("contacts") or [])]))
    judge = _judge(rivals, known, ours or set())
    out: list[tuple[str, str]] = []
    for a, b in _spans(note, team):
        part = text[a:b]
        for x, y in sentence_spans(part):
            what = judge(part[x:y], False)
            if what is not None and part[x:y] not in {raw for raw, _ in out}:
                out.append((part[x:y], what))
    seen = {" ".join(raw.split()) for raw, _ in out}
    out += _labelled_claims(text, [p for p in speakers
                                   if p and p.casefold() not in {t.casefold() for t in team}],
                            judge, seen)
    out += _record_claims(text, judge, seen)
    return out


def _new_claims(said: list[str], judge: Judge, seen: set[str], *,
                in_document: bool = False) -> list[tuple[str, str]]:
    """The sentences of ``said`` that state a deal state and are not in ``seen`` (which
    grows by them), with what each states."""
    out = []
    for raw in said:
        flat = " ".join(raw.split())
        what = judge(raw, in_document)
        if what is not None and flat not in seen and len(flat) >= 6:
            seen.add(flat)
            out.append((raw, what))
    return out


def _labelled_claims(text: str, people: list[str], judge: Judge, seen: set[str]
                     ) -> list[tuple[str, str]]:
    """The deal states on a note's lines that it gives to one of the account's ``people`` by
    name or first name ("Dana: where we landed last week ..."): theirs, whoever wrote the
    note."""
    names = sorted({n for p in people for n in (p, p.split()[0]) if len(n) >= 2},
                   key=len, reverse=True)
    if not names:
        return []
    label = re.compile(r"^[ \t>]*(?:" + "|".join(re.escape(n) for n in names)
                       + r")(?:\s*\([^)\n]{0,40}\))?\s*:[ \t]*(.+)$", re.MULTILINE)
    out = []
    for m in label.finditer(text):
        line = m.group(1)
        out += _new_claims([line[x:y] for x, y in sentence_spans(line)], judge, seen)
    return out


def _record_claims(text: str, judge: Judge, seen: set[str]) -> list[tuple[str, str]]:
    """The deal states in a record pasted into a note (a ticket, a form, a portal's status,
    a log: a block ``containment.document`` reads as a document), whoever pasted it: a
    third party's claims, which ground nothing either (set 12)."""
    out = []
    for block in re.split(r"\n[ \t>]*\n", text):
        said = [block[x:y] for x, y in sentence_spans(block)]
        if len(said) <= DOCUMENT_SENTENCES and document(block):
            out += _new_claims(said, judge, seen, in_document=True)
    # a command's line ('/notes set primary_contact="..."', "--all"): nobody talking, in our
    # rep's note or not; its assignments are a record's
    out += _new_claims([m.group(0) for m in _COMMAND_LINE.finditer(text)], judge, seen,
                       in_document=True)
    return out


_COMMAND_LINE = re.compile(r"^[ \t>]*/[a-z][\w-]*\b.*$|^.*(?:\s--[a-z][\w-]+|\b[a-z_]+=[\"'“]).*$",
                           re.MULTILINE)


def our_figures(notes: list[dict[str, Any]], team: list[str]) -> set[str]:
    """The figures our own notes state in our own words (a note by someone on the team,
    outside its customer parts): a customer's term with these figures is ours too."""
    out: set[str] = set()
    lowered = {t.casefold() for t in team}
    for note in notes:
        if note.get("doc_type", "note") != "note" \
                or str(note.get("author") or "").casefold() not in lowered:
            continue
        text = note.get("full_text") or ""
        pos, own = 0, []
        for a, b in _spans(note, team):
            own.append(text[pos:a])
            pos = max(pos, b)
        own.append(text[pos:])
        out |= figures_of_ours([" ".join(own)])
    return out


def _block_claims(note: dict[str, Any], rivals: tuple[str, ...] = (),
                  skip: tuple[str, ...] = (), *, documents_only: bool = False) -> list[str]:
    """The digest's looser test (issue 12): the sentences of the note that state a changed or
    settled deal state by ``containment.settles``, or a term of our deal
    (``containment.commercial``), whoever wrote them; in a block of the note
    (the text between blank lines) that is a pasted document (``containment.document``: a
    card, a certificate, a board export, a memo, at most ``DOCUMENT_SENTENCES`` sentences),
    a settled state needs no deal topic, and the card's name line or the certificate's
    heading goes with the claim it carries. ``skip``: sentences already held as the
    customer's claims. ``documents_only``: only the document blocks' sentences."""
    if note.get("doc_type", "note") != "note":
        return []
    text = note.get("full_text") or ""
    out: list[str] = []
    for block in re.split(r"\n[ \t>]*\n", text):
        said = [block[x:y] for x, y in sentence_spans(block)]
        pasted = len(said) <= DOCUMENT_SENTENCES and document(block)
        if documents_only and not pasted:
            continue
        held = [s for s in said if settles(s, rivals, in_document=pasted)
                or not _rivals_say(s, rivals) and (commercial(s) or oblique(s, ()))]
        out += [s for s in (said if pasted and held else held)
                if s not in skip and len(s.strip()) >= 6]
    return out


def _cut(text: str, sentence: str) -> str:
    """``text`` without ``sentence`` (whitespace and quote markers between its words may
    differ), or without the part of it that ``text`` holds from its first eight words on
    (a snippet cut at its word limit ends inside a sentence)."""
    words = [re.escape(w) for w in sentence.replace(">", " ").split()]
    gap = r"[\s>]+"
    whole = re.compile(gap.join(words))
    if words and whole.search(text):
        return whole.sub(" ", text).strip()
    if len(words) > 8:
        return re.sub(gap.join(words[:8]) + r".*\Z", "", text, flags=re.DOTALL).rstrip()
    return text


def claim_heads(note_id: str, reading: dict[str, Any], key: str = "claim_sentences"
                ) -> list[str]:
    """The first eight words (case-folded) of each sentence ``without_claims`` cuts from the
    note ``note_id`` (``key="block_claims"``: the digest's looser test, ``_block_claims``):
    to mark a quote of the note that holds one."""
    return [" ".join(raw.replace(">", " ").split()[:8]).casefold()
            for raw in reading.get(key, {}).get(note_id, [])]


def without_claims(notes: list[dict[str, Any]], reading: dict[str, Any]
                   ) -> list[dict[str, Any]]:
    """The notes as the model, its answer check and the plan's digest see them: each
    customer sentence that states a changed or settled deal state (``read_evidence``'s
    ``claim_sentences``, found once) cut from the note's text and snippet (containment, issue
    12). The plan shows such a sentence only as a claim to confirm (``claimed``); the note
    view still shows it. The state's evidence itself is not changed."""
    cuts = reading.get("claim_sentences", {})
    out = []
    for note in notes:
        claims = cuts.get(note.get("id"), [])
        full, snippet = note.get("full_text") or "", note.get("text") or ""
        for c in claims:
            full, snippet = _cut(full, c), _cut(snippet, c)
        out.append({**note, "full_text": full, "text": snippet} if claims else note)
    return out


def _flat(text: str) -> str:
    """Text without quote markers and line breaks, case-folded, for matching."""
    return " ".join(" ".join(re.sub(r"^[\s>]+", "", ln) for ln in text.split("\n"))
                    .casefold().split())


def _who(s: Sentence, note: dict[str, Any], team: list[str]) -> str | None:
    """Who a claim is from: the signer of the pasted e-mail it sits in or the speaker its
    line names ("Dana Ruiz: ..."), else a note author outside the team, else nobody named."""
    author = str(note.get("author") or "")
    if s.speaker and s.speaker not in team and (s.quoted or re.match(
            rf"\W*(?:{re.escape(s.speaker)}|{re.escape(s.speaker.split()[0])})\b[^:]{{0,20}}:",
            s.text)):
        return s.speaker
    if author and author.casefold() not in {t.casefold() for t in team}:
        return author
    return None


def claimed_sentences(notes: list[dict[str, Any]], pooled: list[Sentence],
                      team: list[str], found: dict[str, list[tuple[str, str]]]
                      ) -> list[tuple[Sentence, str, str | None]]:
    """The pooled sentences that hold a customer's sentence stating a changed or settled
    deal state (``found``: each note's, by ``_claim_texts``), with what it states and who
    said it: no conclusion of the plan rests on them; the plan shows each as a claim to
    confirm."""
    by_id = {n["id"]: n for n in notes if n.get("id")}
    flat_claims = {i: [(_flat(raw), what) for raw, what in rows] for i, rows in found.items()}
    out = []
    for s in pooled:
        note = by_id.get(s.note_id)
        if note is None or not flat_claims.get(s.note_id):
            continue
        flat = _flat(s.text)
        what = next((w for c, w in flat_claims[s.note_id]
                     if c and (c[:60] in flat or flat[:60] in c)), None)
        if what is not None:
            out.append((s, what, _who(s, note, team)))
    return out


def _as_their_ask(o: Any, asks: Any) -> Any:
    """An objection drawn from a held demand, quoted as the customer's ask with its source."""
    flat = _flat(o.text.strip("“”\"…. "))[:40]
    for s, who in asks:
        if s.note_id in o.cites and flat and flat in _flat(s.text):
            by = who or o.speaker or "the customer"
            return replace(o, text=f"Their ask, claimed by {by} in note {s.note_id} "
                                   f"(unconfirmed, not our term): “{short(s.text, 200)}”")
    return o


def read_evidence(g: dict[str, Any], notes: list[dict[str, Any]], stories: list[dict[str, Any]],
                  roles: list[dict[str, Any]], contacts: tuple[str, ...] = ()) -> dict[str, Any]:
    """The judgement sections as JSON-ready data (see the module docstring). A sentence in
    the customer's words that states a changed or settled deal state grounds no section: it
    is listed under ``claimed`` instead (containment, issue 12)."""
    people = _people(g, list(contacts))
    team = list(g.get("team", []))
    every: list[Sentence] = pool(notes, people, team)
    ours = our_figures(notes, team)
    found = {n["id"]: rows for n in notes if n.get("id")
             if (rows := _claim_texts(n, team, tuple(g.get("competitors", [])),
                                      tuple(people), ours))}
    claimed = claimed_sentences(notes, every, team, found)
    held = {id(s) for s, _, _ in claimed}
    sentences = [s for s in every if id(s) not in held]
    rivals = rivals_of(g, sentences, people, stories)
    reads = read_criteria(list(g["exit_criteria"]), sentences,
                          list(dict.fromkeys([*g.get("competitors", []), *rivals])))
    buyers = [b["name"] for b in g["buyers"]]
    competitors = list(dict.fromkeys([*g.get("competitors", []), *rivals]))
    # a held demand (a counter-offer) is still a point to answer: an objection, quoted as
    # the customer's ask with its source, never a term of ours
    asks = {id(s): (s, who) for s, _, who in claimed if demand(s.text)}
    objections = [_as_their_ask(o, asks.values()) for o in find_objections(
        [s for s in every if id(s) not in held or id(s) in asks], roles, stories, buyers,
        team=team, competitors=competitors)]
    asked = {o.text for o in objections}
    open_items = find_open_items(sentences, roles, exclude=asked, team=team)
    story = (f"{stories[0]['title']} [{stories[0]['id']}]"
             if stories and stories[0].get("outcome") == "won" else None)
    risks = find_risks(sentences, reads, roles, people, story=story, competitors=competitors,
                       attending=buyers, team=team)
    lines = buyer_lines(buyers, sentences, people=people, team=team)
    rivals_known = tuple(g.get("competitors", []))

    def skip(n: dict[str, Any]) -> tuple[str, ...]:
        return tuple(raw for raw, _ in found.get(n["id"], []))

    return {
        "criteria": [_criterion_row(r) for r in reads],
        "objections": [o.__dict__ | {"cites": list(o.cites),
                                     "answer_cites": list(o.answer_cites)} for o in objections],
        "open_items": [i.__dict__ | {"cites": list(i.cites)} for i in open_items],
        "risks": [r.__dict__ | {"cites": list(r.cites)} for r in risks],
        "rivals": rivals,
        "buyers": {b: [{"text": ln.text, "cites": list(ln.cites), "own_words": ln.own_words,
                        "plain": ln.plain} for ln in rows] for b, rows in lines.items()},
        "claimed": [{"text": short(s.text, 240), "note_id": s.note_id, "who": who, "what": what}
                    for s, what, who in claimed],
        "claim_sentences": {i: [raw for raw, _ in rows] for i, rows in found.items()},
        # the digest's looser test: deal states in a pasted document of any note, and in
        # any part of a note the scan flagged (``assistant.prep.assemble._marked``)
        "document_claims": {n["id"]: pasted for n in notes if n.get("id")
                            if (pasted := _block_claims(n, rivals_known, skip(n),
                                                        documents_only=True))},
        "block_claims": {n["id"]: stated for n in notes if n.get("id")
                         if (stated := _block_claims(n, rivals_known, skip(n)))},
    }


def undecided(reading: dict[str, Any]) -> list[int]:
    """Indexes of criteria to ask the model about (related sentences, no cue), capped."""
    rows = reading.get("criteria", [])
    return [i for i, r in enumerate(rows) if r["status"] == "undecided"
            and r["related"]][:MAX_CRITERION_QUESTIONS]


def apply_answers(reading: dict[str, Any], answers: dict[int, str]) -> dict[str, Any]:
    """The reading with the model's answers in. A criterion no note shows met stays to get:
    still undecided, or "unknown" to the model, it is open with no quote."""
    rows = []
    for i, r in enumerate(reading.get("criteria", [])):
        r = dict(r)
        if i in answers and answers[i] in ("met", "open", "unknown"):
            r["status"], r["decided_by"] = answers[i], "model"
            if answers[i] == "unknown":
                r["status"], r["quote"], r["cites"] = "open", "", []
        elif r["status"] == "undecided":
            r["status"], r["quote"], r["cites"] = "open", "", []
        rows.append(r)
    return {**reading, "criteria": rows}
