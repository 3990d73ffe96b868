"""Validate the model's draft and assemble the plan, section by section.

``check_draft`` removes what must not reach a person: citations to ids that were not
retrieved (the claim stays, marked as inference), items that repeat text quarantined from
the notes, items that fail the answer check of ``assistant.injection`` (instruction-like
text, links, contacts or code, another language, names or figures the evidence does not
carry), buyers the meeting does not include. ``assemble_plan`` builds the plan from the
deterministic parts (roles, agenda, stories, checklist, ICP fit, superseded notes) and the
checked draft; every section the draft left empty is built from the evidence instead and
listed in ``provenance.fallback_sections``. Nothing here invents an id.

Pure functions over plain data.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.containment import CLAIMED, claimed_line, headline_problem
from assistant.injection import unquotable
from assistant.plan import (
    ROLE_MEANING,
    AgendaItem,
    BuyerAttendee,
    Claim,
    CriterionCheck,
    CustomerContext,
    Draft,
    IcpFitItem,
    Objection,
    Objective,
    OpenItem,
    Question,
    Risk,
    SellerRole,
    StoryUse,
)
from assistant.prep.buyers import OUR_GOAL, OUR_HEADING, cued
from assistant.prep.questions import ask_for, qualification_gaps
from assistant.prep.reading import claim_heads, without_claims
from assistant.prep.rivals import cut_short, sells_rival
from assistant.prep.sentences import (
    FIRST_PERSON,
    LOGISTICS,
    MAIL_HEADER,
    THIRD_PERSON,
    balanced,
    content_words,
    first_name,
    leans_back,
    name_at,
    named_in,
    short,
    unform,
)
from assistant.prep.specific import is_specific
from assistant.provenance import caution, kind_of
from assistant.safety import check_answer, echoes_quarantined

NEED_WORDS = re.compile(
    r"\b(need|needs|want|wants|looking for|pain|problem|struggl|must|require|goal|priority|"
    r"frustrat|hate|manual|by hand|spend[s]?)\b", re.IGNORECASE)
# Agenda templates: (share of the meeting, topic, role that owns it). Roles nobody holds
# fall back to the lead. Shares are rescaled to the meeting's minutes.
AGENDA: dict[str, list[tuple[float, str, str]]] = {
    "discovery": [(0.1, "Open: introductions, purpose, agenda check", "lead"),
                  (0.45, "Their situation, priorities and what they need", "discovery"),
                  (0.15, "How others like them solved it (story)", "lead"),
                  (0.1, "Technical landscape and constraints", "technical"),
                  (0.1, "Decision process, people and timeline", "discovery"),
                  (0.1, "Agree the next step", "closer")],
    "demo": [(0.1, "Open: recap of what they told us, agenda check", "lead"),
             (0.1, "Confirm the priorities the demo must prove", "discovery"),
             (0.5, "Demo on their use cases", "technical"),
             (0.15, "Questions, concerns, fit", "lead"),
             (0.15, "Agree the next step", "closer")],
    "technical": [(0.1, "Open and goals of the session", "lead"),
                  (0.55, "Architecture, integrations and security", "technical"),
                  (0.2, "Open issues and owners", "notes"),
                  (0.15, "Agree the next step", "closer")],
    "proposal": [(0.1, "Open: recap of their goals in their words", "lead"),
                 (0.3, "The proposal: scope, outcomes, timeline", "lead"),
                 (0.25, "Commercials and terms", "commercial"),
                 (0.15, "Executive perspective and partnership", "executive"),
                 (0.2, "Objections and the path to signature", "closer")],
    "negotiation": [(0.1, "Open: what we agreed so far", "lead"),
                    (0.4, "Open terms: price, structure, legal", "commercial"),
                    (0.2, "Executive alignment on value", "executive"),
                    (0.15, "Summarise concessions and commitments", "notes"),
                    (0.15, "Ask for the signature date", "closer")],
    "executive": [(0.1, "Open and introductions", "lead"),
                  (0.4, "Their strategic priorities", "executive"),
                  (0.25, "How we help: outcomes and proof", "lead"),
                  (0.1, "Risks and how we de-risk", "technical"),
                  (0.15, "Agree sponsorship and the next step", "closer")],
    "follow-up": [(0.15, "Open: recap of the last meeting", "lead"),
                  (0.45, "Open items and new information", "lead"),
                  (0.2, "Questions we still need answered", "discovery"),
                  (0.2, "Agree the next step", "closer")],
}

ROLE_DOES = {
    "lead": "Opens the meeting, states the purpose and agenda, keeps time and steers.",
    "discovery": "Asks the discovery questions below and listens; confirms pains in their words.",
    "technical": "Owns the technical part: demo, integration and security questions.",
    "executive": "Speaks to the buyer's executives about outcomes and partnership.",
    "commercial": "Owns pricing and terms; answers commercial objections.",
    "closer": "Asks for the next step (the advance below) and gets a date and an owner.",
    "notes": "Captures commitments, numbers and open items; sends the recap within 24 hours.",
}


_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
_GREETING = re.compile(
    r"^(?:(?:hi|hello|dear|hey)\b[^.!?\n]{0,40}[,!]?|(?-i:[A-Z][\w'-]+(?: [A-Z][\w'-]+)?),)\s*$",
    re.IGNORECASE | re.MULTILINE
)


def plain(text: str) -> str:
    """Note text without e-mail quote markers, header lines and greeting lines ("Hi Dana,",
    "Beatriz,"), on one line."""
    return " ".join(" ".join(plain_lines(text)).split())


def plain_lines(text: str) -> list[str]:
    """``plain``'s lines, non-empty, before they are put on one line."""
    body = "\n".join(line for line in _QUOTE.sub("", unform(text)).splitlines()
                     if not MAIL_HEADER.match(line.strip()))
    return [line for line in _GREETING.sub("", body).splitlines() if line.strip()]


_BULLET_START = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
# a sentence ends after its stop, or after the quote mark that closes on it
_STOP = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"”’])\s+")


def _pieces(text: str) -> list[str]:
    """The note's sentences as a reader meets them: a bullet is never joined to the one
    before ("…tickets.\" - Rosa: \"The typing …" is two lines); a sentence that goes on
    inside a quote the one before opened, or that leans on it ("That's what I need to see."),
    is joined to it; a leaning sentence with nothing before it in its bullet is left out."""
    units: list[str] = []
    for line in plain_lines(text):
        if _BULLET_START.match(line) or not units:
            units.append(_BULLET_START.sub("", line))
        else:
            units[-1] += " " + line
    out: list[str] = []
    for unit in units:
        said: list[str] = []
        for piece in _STOP.split(" ".join(unit.split())):
            inside = bool(said) and said[-1].count('"') % 2 == 1  # a quote still open
            if said and (inside or leans_back(piece)) and len(said[-1]) + len(piece) < 320:
                said[-1] += " " + piece
            elif not leans_back(piece):
                said.append(piece)
        out.extend(balanced(p) for p in said)
    return out


def _sentences(text: str) -> list[str]:
    return [s for s in _pieces(text) if len(s.split()) >= 6 and not unquotable(s)]


def _first_sentences(text: str, n: int = 1, limit: int = 220) -> str:
    whole = plain(text)
    said = _sentences(text)[:n]
    while len(said) > 1 and len(" ".join(said)) > limit:  # whole sentences, not one cut off
        said.pop()
    out = " ".join(said) or (
        whole if not unquotable(whole) else "(not quoted here: open the note to read it)")
    return out if len(out) <= limit else out[: limit - 1].rstrip() + "…"


# ---- checking the draft ---------------------------------------------------------------


UNSAFE = "does not stand on the evidence"  # marks answer-check problems in the list
# marks a headline refused for its shape: a deal status, not an action or outcome for the call
NOT_AN_ACTION = "is not an action or an outcome for the call"


def check_draft(
    draft: Draft, *, grams: set[tuple[str, ...]], buyers: list[str],
    evidence: str | None = None, known: list[str] | None = None,
    rivals: list[str] | None = None, goal: str = "",
) -> tuple[Draft, list[str]]:
    """The draft with bad items removed or fixed, and what was wrong, in words.

    With ``evidence`` (the clean text the model was shown) every item also passes
    ``check_answer``; a failing item is dropped and its problem says ``UNSAFE`` and why.
    The objective, ask and fallback are also dropped when they make one of ``rivals`` (the
    competitors the notes name) what we roll out or propose, or end mid-word; and when they
    only repeat ``goal`` (the meeting request) or say nothing specific to the evidence.
    """
    c = _DraftCheck(grams=grams, evidence=evidence, known=known or [], buyers=buyers,
                    rivals=rivals, goal=goal)
    update: dict[str, Any] = {}
    for label in ("objective", "advance", "fallback"):
        update[label] = c.headline(getattr(draft, label), label)
    if update["advance"] and _restates(update["advance"], update["objective"]):
        c.problems.append("advance: it restated the objective; the ask names what the buyer "
                          "agrees to, with a date and an owner")
        update["advance"] = ""
    if update["fallback"] and not c.specific_outcome(update["fallback"]):
        c.problems.append("fallback: it said nothing we would do instead; name the smaller "
                          "step, with the person")
        update["fallback"] = ""
    return draft.model_copy(update=update), c.problems


_IF_CLAUSE = re.compile(r"^\s*(?:if|should|in case|unless)\b[^,;:]*[,;:]\s*", re.I)


def _restates(line: str, objective: str) -> bool:
    """An ask that only says the objective again ("We will confirm X" after "To confirm X")."""
    words = content_words(line)
    return bool(words) and len(words & content_words(objective)) >= 0.8 * len(words)


class _DraftCheck:
    """One draft's checks, section by section; ``problems`` says what was dropped or fixed
    (in words that never repeat the model's text: they go back to it in a repair prompt)."""

    def __init__(self, *, grams: set[tuple[str, ...]], evidence: str | None, known: list[str],
                 buyers: list[str] | None = None, rivals: list[str] | None = None,
                 goal: str = "") -> None:
        self.grams = grams
        self.goal = goal if evidence is not None else ""
        # our own notes' ask lines ("Ask for Dec 8: Lionel names who signs"): our plan, so a
        # headline that only copies one says nothing the notes do not already want
        self.asks = [a for a in re.split(r"(?<=[.!?])\s+", evidence or "")
                     if OUR_HEADING.match(a.strip()) or OUR_GOAL.match(a.strip())]
        self.evidence, self.known = evidence, known
        self.rivals = rivals or []
        self.vocabulary = {w.casefold() for w in re.findall(
            r"[A-Za-z]+", " ".join([evidence or "", *known]))}
        self.buyers = [first_name(b) for b in buyers or [] if b.strip()]
        self.problems: list[str] = []

    def unsafe(self, text: str, section: str) -> bool:
        if self.evidence is None:
            return False
        why = check_answer(text, evidence=self.evidence, known=self.known)
        if why:
            self.problems.append(f"{section}: an item {UNSAFE}: {'; '.join(why)}")
        return bool(why)

    def echoes(self, text: str, section: str) -> bool:
        if echoes_quarantined(text, self.grams):
            self.problems.append(f"{section}: repeats text from a note addressed to an AI")
            return True
        return False

    def specific(self, text: str) -> bool:
        """A person, number or fact of the evidence (always, without evidence to check)."""
        return self.evidence is None or is_specific(text, evidence=self.evidence,
                                                    known=" ".join(self.known))

    def generic(self, text: str, section: str, *, buyer_ok: bool = False) -> bool:
        """A line that only restates the meeting, stage or criteria, or says nothing
        (``buyer_ok``: naming a buyer is enough)."""
        if (buyer_ok and self.names_buyer(text)) or self.specific(text):
            return False
        self.problems.append(f"{section}: a line restated the meeting or said nothing "
                             "specific; name a person, number or fact from the evidence")
        return True

    def specific_outcome(self, fallback: str) -> bool:
        """A fallback says what we do instead: what follows its "if …," carries a person,
        number or fact of the evidence ("reschedule the meeting" does not)."""
        rest = _IF_CLAUSE.sub("", fallback, count=1)
        return rest == fallback or self.names_buyer(rest) or self.specific(rest)

    def backwards(self, text: str, label: str) -> bool:
        """A headline that sells a competitor, or that stops mid-word."""
        if sells_rival(text, self.rivals):
            self.problems.append(f"{label}: it made a competitor the notes name what we roll "
                                 "out, propose or sell; the line is about our offer")
            return True
        cap = Draft.model_fields[label].metadata
        limit = next((getattr(x, "max_length", None) for x in cap
                      if getattr(x, "max_length", None)), None)
        if self.evidence is not None and cut_short(text, self.vocabulary, cap=limit):
            self.problems.append(f"{label}: it stopped mid-word; write it whole and short")
            return True
        return False

    def status_line(self, text: str, label: str) -> bool:
        """A headline that states where the deal stands ("The order form was signed on Dec
        3", "No risks: ...") instead of who does or agrees to what on the call: refused, so a
        claim the detector missed cannot become the call's objective (containment)."""
        if self.evidence is None:
            return False
        why = headline_problem(text)
        if why:
            self.problems.append(f"{label}: the line {NOT_AN_ACTION} ({why}); say who does "
                                 "or agrees to what on the call")
        return bool(why)

    def names_buyer(self, text: str) -> bool:
        return any(re.search(rf"\b{re.escape(b)}\b", text) for b in self.buyers)

    def headline(self, text: str, label: str) -> str:
        """The objective, advance or fallback; empty when it echoes, fails the check, says
        nothing specific (the objective: nothing of the notes beyond the meeting, stage and
        criteria) or only repeats the meeting request: code then writes it from the gap."""
        if not text.strip():
            return ""
        if self.echoes(text, label) or self.unsafe(text, label) or self.backwards(text, label) \
                or self.status_line(text, label):
            return ""
        if self.generic(text, label, buyer_ok=label != "objective"):
            return ""
        if self.goal and _restates(text, self.goal):
            self.problems.append(f"{label}: it repeated the meeting request; say what the "
                                 "notes leave open and who settles it")
            return ""
        if any(_restates(text, ask) for ask in self.asks):
            self.problems.append(f"{label}: it repeated our own note's ask; say what the "
                                 "notes leave open and who settles it")
            return ""
        return text


EMPTY_OBJECTIVE = "the objective is empty"
# the problems that drop an objective for saying nothing the notes do not already say
GENERIC_OBJECTIVE = ("objective: a line restated", "objective: it repeated")


def needs_repair(draft: Draft) -> list[str]:
    """Problems severe enough to ask the model again (the rest is fixed in place)."""
    out = []
    if not draft.objective.strip():
        out.append(EMPTY_OBJECTIVE)
    return out


# ---- assembling -----------------------------------------------------------------------


def build_agenda(kind: str, minutes: int, roles: list[dict[str, Any]]) -> list[AgendaItem]:
    template = AGENDA.get(kind, AGENDA["follow-up"])
    holder: dict[str, str] = {}
    for r in roles:  # a role two sellers share: the first one listed owns its agenda items
        holder.setdefault(r["role"], r["name"])
    lead = holder.get("lead") or roles[0]["name"]
    items: list[AgendaItem] = []
    start = 0
    rows = [(share, topic, holder.get(role)) for share, topic, role in template]
    # an item whose role nobody holds goes to the lead, except optional specialist items
    rows = [(s, t, owner or lead) for s, t, owner in rows
            if owner or not any(k in t.lower() for k in ("technical", "executive"))]
    total_share = sum(s for s, _, _ in rows)
    for i, (share, topic, owner) in enumerate(rows):
        length = round(minutes * share / total_share) if i < len(rows) - 1 else minutes - start
        length = max(length, 1)
        items.append(AgendaItem(start_minute=start, minutes=length, topic=topic,
                                owner=str(owner)))
        start += length
    return items


def build_roles(roles: list[dict[str, Any]], agenda: list[AgendaItem],
                jobs: dict[str, str] | None = None) -> list[SellerRole]:
    out = []
    jobs = jobs or {}
    for r in roles:
        mine = [a for a in agenda if a.owner == r["name"]]
        if mine:
            parts = [f"{a.topic} at {a.start_minute}'" for a in mine]
            nxt = [a for a in agenda if a.start_minute >= mine[-1].start_minute + mine[-1].minutes]
            hand = f"leads: {'; '.join(parts)}"
            if nxt:
                hand += f"; hands over to {nxt[0].owner} at {nxt[0].start_minute}'"
        else:
            hand = "supports throughout; no agenda item of their own"
        does = jobs.get(r["name"]) or ROLE_DOES[r["role"]]
        if r["owns_next_step"] and r["role"] == "lead":
            does += " Also asks for the next step (attends alone)."
        out.append(SellerRole(
            name=r["name"], title=r["title"], role=r["role"], does=does, hands_over=hand,
            why=f"{ROLE_MEANING[r['role']]} — {r['why']}", owns_next_step=r["owns_next_step"],
        ))
    return out


def fallback_situation(notes: list[dict[str, Any]]) -> list[Claim]:
    return [Claim(text=f"({n['date']}) {_first_sentences(n['full_text'], 2)}", cites=[n["id"]])
            for n in notes[:3]]


def fallback_needs(notes: list[dict[str, Any]]) -> list[Claim]:
    out = []
    for n in notes:
        for sentence in _sentences(n["full_text"]):
            if NEED_WORDS.search(sentence) and len(sentence) < 260:
                out.append(Claim(text=sentence, cites=[n["id"]]))
                break
        if len(out) == 3:
            break
    return out


def buyer_attendees(buyers: list[dict[str, str]], notes: list[dict[str, Any]],
                    lines: dict[str, list[dict[str, Any]]]) -> list[BuyerAttendee]:
    """Each attendee with their own lines from the notes (``reading['buyers']``)."""
    out = []
    for b in buyers:
        name = b["name"]
        tokens = [t for t in name.split() if len(t) > 2]
        mentions = [n["id"] for n in notes
                    if any(re.search(rf"\b{re.escape(t)}\b", n["full_text"]) for t in tokens)]
        cares = [Claim(text=ln["text"], cites=ln["cites"]) for ln in lines.get(name, [])]
        unknowns = []
        if not mentions:
            unknowns.append("no note mentions them: ask what they need from this call and "
                            "their part in the decision")
        elif not cares:
            unknowns.append("what they want: no note quotes them or says it")
        out.append(BuyerAttendee(name=name, title=b.get("title", ""), cares_about=cares,
                                 unknowns=unknowns, known_from=mentions[:5]))
    return out


def assemble_plan(state: dict[str, Any], draft: Draft | None) -> dict[str, Any]:
    """Everything but identity and provenance, as a dict of Plan fields.

    ``fallback_sections`` lists the sections the draft left empty, built from the evidence.
    """
    g = state["gathered"]
    reading = state.get("reading") or {}
    notes = without_claims(state["evidence"], reading)  # a claim to confirm: a risk only
    fallback: list[str] = []
    roles = state["roles"]
    agenda = build_agenda(g["kind"], g["minutes"], roles)
    gap = [CriterionCheck(**{k: v for k, v in r.items() if k in CriterionCheck.model_fields})
           for r in reading.get("criteria", [])]
    objections = [Objection(**{k: v for k, v in o.items() if k in Objection.model_fields})
                  for o in reading.get("objections", [])]
    open_items = [OpenItem(text=i["text"], owner=i["owner"], cites=i["cites"])
                  for i in reading.get("open_items", [])]
    risks = _risks(state, reading)
    objective = _objective(g, draft, fallback, gap, reading.get("buyers"),
                           points_of(objections, risks), open_items)
    context = _context(state, notes)
    buyers = buyer_attendees(g["buyers"], notes, reading.get("buyers", {}))
    questions = _questions(g, gap, notes, list(reading.get("rivals", [])))
    stories = [StoryUse(story_id=s["id"], title=s["title"], outcome=s["outcome"],
                        why=s["why"]) for s in state["stories"]]
    checklist = build_checklist(g, roles, notes, stories, risks, context.superseded,
                                objections=objections, open_items=open_items)
    icp_fit = [IcpFitItem(**item) for item in g["icp_fit"]]
    jobs = executive_jobs(roles, objections, gap, g, reading.get("buyers"),
                          points_of(objections, risks))
    return {
        "objective": objective, "context": context, "buyers": buyers,
        "roles": build_roles(roles, agenda, jobs), "agenda": agenda, "questions": questions,
        "risks": risks, "stories": stories, "checklist": checklist, "icp_fit": icp_fit,
        "exit_gap": gap, "objections": objections, "open_items": open_items,
        "fallback_sections": fallback,
    }


_SENIOR_TITLES = (r"ceo|cfo|coo|cio|cto|chief|president|vp|vice president|owner|founder|director|"
                  r"general counsel")
_SENIOR = re.compile(rf"\b(?:{_SENIOR_TITLES})\b", re.IGNORECASE)
# whom the ask is for: a general manager decides too, though not an executive's counterpart
_TOP_TITLE = re.compile(rf"\b(?:{_SENIOR_TITLES}|general manager)\b", re.IGNORECASE)


def executive_jobs(roles: list[dict[str, Any]], objections: list[Objection],
                   gap: list[CriterionCheck], g: dict[str, Any],
                   lines: dict[str, list[dict[str, Any]]] | None = None,
                   points: list[Fact] | None = None) -> dict[str, str]:
    """A concrete job for whoever holds the executive role, taken from the plan: answer the
    customer's point they own, else hold the conversation with the top buyer about what that
    buyer wants and the open decision criterion."""
    execs = [r["name"] for r in roles if r["role"] == "executive"]
    if not execs:
        return {}
    mine = [o for o in objections if o.owner == execs[0]]
    top = [b for b in g["buyers"] if _SENIOR.search(b.get("title", ""))]
    if mine:
        who = f"{mine[0].speaker}'s" if mine[0].speaker else "the customer's"
        job = f"Answers {who} {mine[0].topic} point: “{mine[0].text[:140]}”"
    elif top:
        open_eb = next((c for c in gap if c.status != "met" and re.search(
            r"economic buyer|sign|approv|decision", c.criterion, re.IGNORECASE)), None)
        aim = (f" and confirms: {open_eb.criterion[0].lower()}{open_eb.criterion[1:]}"
               if open_eb else "")
        said, _ = stake(top[0]["name"], lines, own_only=True)  # their own words
        fact = next(iter(points or []), None)
        job = (f"Holds the conversation with {top[0]['name']} "
               f"({top[0].get('title')}){aim}."
               + (f" {first_name(top[0]['name'])}'s stake: {said}" if said else
                  f" Brings our answer on {fact[0]}: {fact[1]}" if fact else ""))
    else:
        job = (f"Tells {g['account_name']} why this matters to us at the top, and offers "
               "executive sponsorship for the next stage.")
    return {execs[0]: job}




def _decider(g: dict[str, Any], gap: list[CriterionCheck]) -> str | None:
    """The buyer the ask is for: the one an open criterion's sentence names, else the most
    senior title among the buyers."""
    names = [b["name"] for b in g["buyers"]]
    for c in gap:
        if c.status == "open" and c.quote and (named := named_in(c.quote, names)):
            return str(named[0])
    top = [b["name"] for b in g["buyers"] if _TOP_TITLE.search(b.get("title") or "")]
    return top[0] if top else (names[0] if names else None)


def _lower(text: str) -> str:
    return text[0].lower() + text[1:] if text else text


def stakes(who: str | None, lines: dict[str, list[dict[str, Any]]] | None,
           avoid: str = "", *, theirs: bool = True, own_only: bool = False
           ) -> list[tuple[str, list[str]]]:
    """``who``'s lines from the notes (what they want, worry about or condition on), as short
    quotes with their notes; none when the notes say nothing of them. ``theirs=False``: the
    lines of their notes that are not theirs (:func:`_theirs`) but say something;
    ``own_only``: only their own words (a quoted line, an e-mail they wrote)."""
    out = []
    for ln in (lines or {}).get(who or "", []):
        text = balanced(str(ln.get("plain") or ln["text"]))  # the words, unwrapped
        if len(text) > 2 and text[0] == text[-1] == '"' and text.count('"') == 2:
            text = text[1:-1].strip()
        if not text or (avoid and (text in avoid or avoid in text)) or (
                own_only and not _in_their_words(ln, text, who)):
            continue
        if _theirs(ln, text, who) == theirs and (theirs or _says(ln, text)):
            out.append((f"“{short(text, 140)}”", list(ln.get("cites") or [])))
    return out


def _theirs(line: dict[str, Any], text: str, who: str | None) -> bool:
    """A stake is by or about its person: their own words, a line that names them, or one
    whose "he", "she" or "I" the notes resolved to them (``assistant.prep.sentences``); not a
    line that only came from a note they attended ("Security committee approved us …"). And
    it says something: their own words, or a want, worry, condition or number; never an
    introduction or a date to talk."""
    return _says(line, text) and bool(
        _own(line) or (who and name_at(text, who) is not None)
        or THIRD_PERSON.search(text) or FIRST_PERSON.search(text))


def _in_their_words(line: dict[str, Any], text: str, who: str | None) -> bool:
    """Their own words, not our note telling of them with a quoted scrap ("Frank asked for
    a proposal "before the holidays"" is our narration: it opens with them, or with he/she)."""
    if not _own(line):
        return False
    opener = re.match(r"[\"“]?\s*([A-Z][\w.'’-]*)", text)
    names = {first_name(who), *(who or "").split()} if who else set()
    return not (opener and (opener.group(1) in names or opener.group(1) in ("He", "She")))


def _own(line: dict[str, Any]) -> bool:
    return bool(line.get("own_words") or str(line.get("text") or "").startswith("said: "))


def _says(line: dict[str, Any], text: str) -> bool:
    """Their own words, or a want, worry, condition or number; not logistics."""
    return bool(_own(line) or cued(text) or any(ch.isdigit() for ch in text)) \
        and not LOGISTICS.search(text)


def stake(who: str | None, lines: dict[str, list[dict[str, Any]]] | None,
          avoid: str = "", *, own_only: bool = False) -> tuple[str, list[str]]:
    """``who``'s first line (see :func:`stakes`), or empty."""
    return next(iter(stakes(who, lines, avoid, own_only=own_only)), ("", []))


Fact = tuple[str, str, list[str]]  # (label, "“quoted words”", cites)


def points_of(objections: list[Objection], risks: list[Risk]) -> list[Fact]:
    """The customer's points and the risks, as facts a code-written line can carry."""
    out: list[Fact] = []
    for o in objections:
        whose = f"{first_name(o.speaker)}'s" if o.speaker else "their"
        topic = "" if o.topic == "other" else f" {o.topic}"
        out.append((f"{whose}{topic} point", f"“{short(o.text, 140)}”", list(o.cites)))
    for r in risks:
        if r.kind not in ("", "injection", CLAIMED) \
                and not r.risk.startswith("Economic buyer not"):
            out.append(("the risk", f"“{short(r.risk, 140)}”", list(r.cites)))
    return out


def _objective(g: dict[str, Any], draft: Draft | None, fallback: list[str],
               gap: list[CriterionCheck],
               lines: dict[str, list[dict[str, Any]]] | None = None,
               points: list[Fact] | None = None,
               open_items: list[OpenItem] | None = None) -> Objective:
    """The objective, the ask and the fallback; where the model gave none, written from the
    first open exit criterion, the note that shows it open (never our own ask line), and the
    buyer it is for; the ask carries the buyer's own words ("why it matters"), else the
    customer's point; the fallback is a smaller step on a named open item."""
    exit_criteria = g["exit_criteria"]
    open_ = [c for c in gap if c.status == "open"] or [c for c in gap if c.status != "met"]
    open_.sort(key=lambda c: not _evidence(c))  # a criterion the notes show open comes first
    first = open_[0] if open_ else None
    done = bool(gap) and not open_  # every criterion met: the call books the next stage
    target = first.criterion if first else "" if done else (
        exit_criteria[0] if exit_criteria else "")
    who = _decider(g, gap)
    title = next((b.get("title") for b in g["buyers"] if b["name"] == who), "")
    blocker = _evidence(first) if first else ""
    # "why it matters" is the buyer's own words only (a quoted line, their own e-mail)
    facts: list[Fact] = [(f"{first_name(who)}'s stake", t, c)
                         for t, c in stakes(who, lines, avoid=blocker, own_only=True)] \
        if who else []
    for f in points or []:  # the customer's points the stakes did not already quote
        words = content_words(f[1])
        if f[1] not in blocker and all(len(words & content_words(x[1])) < 0.7 * len(words)
                                       for x in facts):
            facts.append(f)
    mine = None if blocker else next(iter(facts), None)
    rest: list[Fact | None] = [f for f in facts if f is not mine] + [None]
    why = (f"; in the way: “{short(blocker, 140)}”" if blocker else
           f"; {mine[0]}: {mine[1]}" if mine else "")
    with_who = f" (with {who}{f', {title}' if title else ''})" if who else ""
    default_objective = (
        f"Move {g['account_name']} from {g['stage']} toward {g['next_stage'] or 'a decision'}: "
        f"by the end of the call, {_lower(target)}" + with_who + why
        if target else
        f"Move {g['account_name']} from {g['stage']} to {g['next_stage'] or 'a decision'}: the "
        f"notes show every exit criterion met; by the end of the call, a date and an owner "
        f"for the {g.get('next_stage_activity') or 'next stage'}" + with_who + why
        if done else f"Advance {g['account_name']} to the next stage"
    )
    if draft is not None and draft.objective.strip():
        statement = Claim(text=draft.objective, inference=True, origin="model")
    else:
        cites = list(first.cites) if blocker and first else list(mine[2]) if mine else []
        statement = Claim(text=default_objective, inference=True, origin="code", cites=cites)
        fallback.append("objective")
    second = next((c for c in open_[1:] if _evidence(c)), open_[1] if len(open_) > 1 else None)
    advance = draft.advance if draft and not _to_the_signer(draft.advance, who) else ""
    instead = draft.fallback if draft and not _to_the_signer(draft.fallback, who) else ""
    # with one fact of theirs, the ask carries it too: the line the rep rehearses says why
    advance = advance if advance.strip() else _ask(g, who, target, rest[0] or mine)
    if not instead.strip() or _same_step(instead, advance):
        instead = _fallback_step(g, who, second, open_items or [], [f for f in rest[1:] if f])
    return Objective(
        stage=g["stage"], next_stage=g["next_stage"], exit_criteria=exit_criteria,
        statement=statement, advance=advance, fallback=instead,
    )


_SIGNER_MEETING = re.compile(r"\b(?:meet(?:s|ing)?(?: with)?|introduc\w*(?: us)? to|"
                             r"bring(?:s)? in|get(?:s)? us to|book(?:s)? (?:a meeting|time) with)"
                             r" (?:the|their|our) (?:signer|signatory|economic buyer|"
                             r"decision[- ]maker)\b", re.IGNORECASE)


def _to_the_signer(line: str, who: str | None) -> bool:
    """An ask for ``who`` to meet "the signer" when ``who`` is the one the ask is for (the
    signer or the top buyer): a step that asks nothing of them ("Celeste Harrow will meet
    with the signer", and Celeste signs)."""
    return bool(who and _SIGNER_MEETING.search(line) and name_at(line, who) is not None)


def _same_step(fallback: str, advance: str) -> bool:
    """The fallback only says the advance again (the same line, inside it, or the advance
    with "if the signer is unavailable" added): no smaller step."""
    a, f = " ".join(advance.casefold().split()), " ".join(fallback.casefold().split())
    if not f or f in a or (a and a.rstrip(".") in f):
        return True
    words = content_words(fallback)
    return bool(words) and len(words & content_words(advance)) >= 0.8 * len(words)


def _evidence(check: CriterionCheck | None) -> str:
    """The note sentence that shows ``check`` open, unless it is our own ask or plan line
    ("Ask for Dec 8: Lionel names who signs"): that says what we want, not where it stands."""
    quote = balanced(check.quote) if check and check.quote else ""
    return "" if OUR_HEADING.match(quote) or OUR_GOAL.match(quote) else quote


def _ask(g: dict[str, Any], who: str | None, target: str, fact: Fact | None) -> str:
    """The advance as a rep would say it: whom to ask for a date for the next stage's
    activity, and the question that settles the open criterion first ("Ask Greta to set a
    date for the sandbox kickoff; first ask: “Can you put your own numbers on it (coordinator
    hours or overtime, unbilled visits)?”"); with a fact of the notes in brackets (what the
    buyer said or wants, else the customer's point), so the line is this deal's."""
    activity = g.get("next_stage_activity")
    if activity and g.get("kind") and re.search(rf"\b{re.escape(str(g['kind']))}\b", activity,
                                                 re.IGNORECASE):
        activity = None  # the next stage's activity is this very call: ask what is open
    name = first_name(who) if who else "them"
    question = _brief(ask_for(target)) if target else ""
    if activity:
        ask = f"Ask {name} to set a date for the {activity}"
        ask += f"; first ask: “{question}”" if question else ""
    elif question:
        owner = "" if re.search(r"\bwho owns\b", question) else " and an owner"
        ask = f"Ask {name}: “{question}”, and leave with a date{owner}"
    else:
        ask = f"Ask {name} for a dated next step and who on their side owns it"
    return ask + (f" ({_label(fact, who)}: {fact[1]})" if fact else "")


_LIST = re.compile(r"\(([^()]*,[^()]*)\)")


def _brief(text: str, keep: int = 2) -> str:
    """A parenthesised list cut to its first ``keep`` items ("(coordinator hours or overtime,
    unbilled visits, missed visit windows)" -> "(coordinator hours or overtime, unbilled
    visits)"): enough to say aloud."""
    return _LIST.sub(lambda m: "(" + ", ".join(x.strip() for x in m.group(1).split(",")[:keep])
                     + ")", text)


def _label(fact: Fact, who: str | None) -> str:
    """How the ask names a fact: what is at stake for the buyer, else the fact's label
    ("Howard's price point", "the risk")."""
    if who and fact[0] == f"{first_name(who)}'s stake":
        return f"why it matters to {first_name(who)}"
    return fact[0]


def _fallback_step(g: dict[str, Any], who: str | None, second: CriterionCheck | None,
                   open_items: list[OpenItem], points: list[Fact]) -> str:
    """If the ask fails, a smaller step on a named open item: what we ask for instead and
    from whom. The first of these that carries a fact of the notes (a figure, a name, words
    the meeting and criteria do not use): the next open criterion the notes show open (its
    question, to the buyer the note names, with where it stands); the work we owe them,
    delivered and gone through on a date; what the customer raised, with a date for our
    answer. Else the first of them, else who else must agree."""
    name = first_name(who) if who else "they"  # subject; no buyer named: "If they will not"
    obj = first_name(who) if who else "them"
    names = f"{name} names" if who else "they name"
    people = [*g.get("contacts", []), *(b["name"] for b in g["buyers"])]
    options: list[tuple[str, str]] = []  # (the line, the fact of the notes it carries)
    if second is not None and (now := _evidence(second)):
        ask = _brief(ask_for(second.criterion, named=_named(second, people, g["buyers"])))
        options.append((f"If {name} will not commit today, ask {obj} for less: “{ask}” "
                        f"(now: “{short(now, 120)}”)", now))
    for item in open_items[:2]:
        options.append((f"If {name} will not commit today: {item.owner} delivers what we owe "
                        f"(“{short(item.text, 120)}”) and {names} the day to go through "
                        "it", item.text))
    for label, text, _ in points[:2]:
        what = f"what {name} raised" if label.endswith("'s stake") else label
        options.append((f"If {name} will not commit today: agree the date we answer {what} "
                        f"({text}), and who on their side signs off on the answer", text))
    if second is not None and not _evidence(second):
        options.append((f"If {name} will not commit today, ask {obj} for less: "
                        f"“{_brief(ask_for(second.criterion))}”", ""))
    known = " ".join([g.get("account_name") or "", g.get("stage") or "",
                      g.get("next_stage") or "", g.get("goal") or "",
                      *g.get("exit_criteria", []),
                      *(f"{b['name']} {b.get('title') or ''}" for b in g["buyers"])])
    carried = next((line for line, fact in options
                    if fact and is_specific(fact, evidence=fact, known=known)), None)
    if carried or options:
        return carried or options[0][0]
    return (f"If {name} will not commit today: who else on their side must agree, and a "
            "date to meet them")


def _context(state: dict[str, Any], notes: list[dict[str, Any]]) -> CustomerContext:
    # The notes' own sentences, newest first: names, numbers and competitors never depend
    # on a small model's recall, and no line cites a note that does not say it. The digest
    # quotes the notes as written; a quote that holds a claim to confirm says so (the plan
    # acts on none: ``notes`` are the notes without them, see ``without_claims``).
    shown = state["evidence"]  # ``notes`` one for one, as written
    reading = state.get("reading") or {}
    flagged = frozenset(str(q.get("source_id")) for q in state.get("quarantined", []))
    situation = [_marked(c, reading, flagged) for c in fallback_situation(shown)]
    needs = fallback_needs(notes)
    newest = shown[0] if shown else None
    changes = ([_marked(Claim(text=f"Latest touch {newest['date']} ({newest['kind']}, "
                              f"{newest['author']}): "
                              f"{_first_sentences(newest['full_text'], 2)}",
                              cites=[newest["id"]]), reading, flagged)]
               if newest else [])
    superseded = [Claim(text=s["text"], cites=s["cites"]) for s in state.get("superseded", [])]
    return CustomerContext(situation=situation, needs=needs, changes=changes,
                           superseded=superseded)


CLAIM_MARK = " (holds a claim to confirm on the call: see Risks)"
# the looser test: a deal state in a block of the note, whoever wrote it (a pasted card or
# certificate with no paste marks reads as our rep's words; it is still not ours to act on)
STATE_MARK = " (states a deal state: confirm it on the call before acting on it)"


def _marked(line: Claim, reading: dict[str, Any], flagged: frozenset[str] = frozenset()
            ) -> Claim:
    """``line`` with ``CLAIM_MARK`` when it quotes the head of a sentence of its note that
    states a changed or settled deal state in the customer's words; with ``STATE_MARK`` when
    it quotes one by the looser test, whoever wrote it, in a pasted document of the note (a
    card, a certificate, a memo: ``reading['document_claims']``) or anywhere in a note the
    scan ``flagged`` (a note that carried an injection or a held claim: ``block_claims``).
    Our rep's own plain notes are quoted as they are."""
    if not line.cites:
        return line
    flat = " ".join(line.text.replace(">", " ").split()).casefold()
    keys = [("claim_sentences", CLAIM_MARK), ("document_claims", STATE_MARK)]
    if line.cites[0] in flagged:
        keys.append(("block_claims", STATE_MARK))
    for key, mark in keys:
        if any(h and h in flat for h in claim_heads(line.cites[0], reading, key)):
            return line.model_copy(update={"text": line.text + mark})
    return line


def _named(check: CriterionCheck, people: list[str], buyers: list[dict[str, Any]]) -> str:
    """The one customer person the note showing ``check`` open names, preferring people who
    do not attend (the one who signs is often not in the room); "" when none or several."""
    found = named_in(check.quote or "", dict.fromkeys(p for p in people if p))
    away = [p for p in found if p not in {b["name"] for b in buyers}]
    pick = away or found
    return pick[0] if len(pick) == 1 else ""


def _questions(g: dict[str, Any], gap: list[CriterionCheck], notes: list[dict[str, Any]],
               rivals: list[str]) -> list[Question]:
    """What we ask in the call: one question per exit criterion the notes leave open or do
    not show, then one per qualification field no note shows (metrics, economic buyer,
    decision criteria and process, competition), then the missing ICP facts
    (``assistant.prep.questions``)."""
    people = [*g.get("contacts", []), *(b["name"] for b in g["buyers"])]
    questions = [Question(text=ask_for(c.criterion, named=_named(c, people, g["buyers"])),
                          cites=c.cites, why=f"exit criterion of {g['stage']}: {c.status}")
                 for c in gap if c.status != "met"]
    for field, text in qualification_gaps(
            [n["full_text"] for n in notes], kind=g["kind"],
            rivals=[*g.get("competitors", []), *rivals],
            asked=[q.text for q in questions]):
        questions.append(Question(text=text, why=f"qualification: no note shows the {field}"))
    for gap_item in g["icp_unknown"]:
        questions.append(Question(text=gap_item["question"], why="ICP fact we do not know yet",
                                  icp_attribute=gap_item["attribute"]))
    return questions


def _risks(state: dict[str, Any], reading: dict[str, Any]) -> list[Risk]:
    risks = [Risk(risk=r["risk"], answer=r["mitigation"], cites=r["cites"], kind=r["kind"])
             for r in reading.get("risks", [])]
    unconfirmed: dict[str, list[str]] = {}
    for q in state.get("quarantined", []):
        if q.get("category") == "unconfirmed":
            unconfirmed.setdefault(q["source_id"], []).append(kind_of(q.get("reason", "")) or "")
            continue
        why = f" ({q['reason']})" if q.get("reason") else ""
        risks.append(Risk(
            risk=f"Note {q['source_id']} contains text addressed to an AI assistant or "
                 f"instruction-like text{why}; Huddle left it out of this plan.",
            answer="Read the note yourself (the note view marks what was left out); treat "
                   "the request as untrusted.",
            cites=[q["source_id"]], kind="injection",
        ))
    claimed: dict[tuple[str, str | None], list[str]] = {}
    for c in reading.get("claimed", []):
        claimed.setdefault((c["note_id"], c.get("who")), []).append(c["what"])
    for (note_id, who), whats in claimed.items():  # the kinds; the note view has the words
        risks.append(Risk(
            risk=claimed_line(who, f"note {note_id}", what="; ".join(dict.fromkeys(whats))),
            answer="Ask about it on the call; until a note of ours confirms it, this plan "
                   "does not act on it (no criterion, objective or step rests on it).",
            cites=[note_id], kind=CLAIMED,
        ))
    for source_id, whats in unconfirmed.items():  # one caution per note, never the claim
        risks.append(Risk(
            risk=caution(source_id, whats),
            answer="Ask the customer on the call; until one of our own notes confirms it, "
                   "treat it as unconfirmed (the note view marks the sentence).",
            cites=[source_id], kind="injection",
        ))
    return risks


def build_checklist(g: dict[str, Any], roles: list[dict[str, Any]], notes: list[dict[str, Any]],
                    stories: list[StoryUse], risks: list[Risk],
                    superseded: list[Claim], *, objections: list[Objection] | None = None,
                    open_items: list[OpenItem] | None = None) -> list[str]:
    items = [
        "Run the huddle: walk through the objective and tell each colleague their role "
        f"({', '.join(r['name'] + ': ' + r['role'] for r in roles)}).",
    ]
    closer = next((r["name"] for r in roles if r["owns_next_step"]), roles[0]["name"])
    items.append(f"{closer}: rehearse the ask for the advance and the fallback.")
    if notes:
        items.append("Re-read the newest notes: " + ", ".join(n["id"] for n in notes[:3]) + ".")
    if superseded:
        items.append("Use the newer figures where notes disagree (see 'Superseded').")
    if stories:
        items.append(f"Pick one story to tell: {stories[0].title} ({stories[0].outcome}).")
    for item in open_items or []:
        items.append(f"{item.owner}: before the call, get the status of: {item.text} "
                     f"[{', '.join(item.cites)}]")
    owed = [o for o in objections or [] if o.answer.startswith("needs an answer")]
    whose = [f"{o.speaker}'s" if o.speaker else "the customer's" for o in owed]
    lines = [f"{o.owner}: prepare the answer to {who} {o.topic} point [{', '.join(o.cites)}]."
             for o, who in zip(owed, whose, strict=True)]
    for o, line in zip(owed, lines, strict=True):
        if lines.count(line) > 1:  # two points alike in one note: say which each one is
            line = line[:-1] + f" — “{short(o.text, 60)}”"
        items.append(line)
    if risks:
        items.append(f"Read the {len(risks)} risk(s) above and who mitigates each.")
    if g["icp_unknown"]:
        items.append("Find out the missing ICP facts: "
                     + ", ".join(x["attribute"] for x in g["icp_unknown"]) + ".")
    if g["buyers"]:
        items.append("Confirm the buyer-side attendees and their titles the day before.")
    items.append("Block 30 minutes before the call to review this plan.")
    return items
