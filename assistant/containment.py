"""Containment: what the detector misses cannot steer a plan or a reflection (issue 12).

``assistant.injection`` looks for instructions and ``assistant.provenance`` holds back the
deal-changing claims it recognises in the customer's words. Both are lexical, and a claim in a
new carrier gets through. This module does not try to recognise the attack. It makes the parts
that *conclude* robust to what got through:

- ``headline_problem(line)``: the model's objective, advance and fallback must be an action or
  an outcome for the call (who does or agrees to what: "Ask Dana to ...", "Greta agrees a pilot
  start on May 4", "A call with Tom on the route data"), never a statement of where the deal
  stands ("The order form was signed on Dec 3", "The vendor matches 40% off list", "No risks:
  ..."). A line that is not is refused; code writes it instead.
- ``settles(sentence)``: a deliberately loose test (higher recall than provenance's claim test)
  for a sentence that states a changed or settled deal state: a contract signed or completed,
  a price or discount agreed or matched, a review or step dropped, a signer or contact
  changed, a rival chosen, a date moved, a budget frozen or a pilot paused, a stage moved, a
  record's field; or a quote in another language (nothing a rep can check). A customer's own
  yes to something of theirs ("the board approved $65k for the pilot", "yes, let's book the
  12th", "Tuesday works") is not one.
- ``field_state(text)``: a deal state by shape (set 12): a record's "Key: value" field, a
  table's cell, a subject line or a header's stamp whose key names a settled state
  ("Approved:", "Resolution:", "Pay to:", "chosen date:") or a deal topic whose value is one
  ("Status: Done", "Competitive bid: Waived", "order placed 12/03", "ACCEPTED by Dana Ruiz").
  An open value ("Status: In Progress", "Status: we're still evaluating") or a wanted key
  ("Requested:", "Target go-live:") is none. ``in_passing(text)``: a deal state said in
  passing as already agreed ("where we landed last week, the thirty-four dollars per unit",
  "as agreed", "thanks again for holding the 2025 pricing"). Both feed ``settles``.
- ``document(text)``: whether text is a pasted document (a certificate, a card, a memo, a
  board export, a post: a heading in capitals, a card's markers, a byline, a form's header
  labels, a record's header line such as "Annex 3 - Data Processing Agreement, signature
  page") rather than someone talking. Its statements are a third party's claims: with
  ``settles(..., in_document=True)`` a settled state there ("accepts ... in full", "Deal
  done", "grants an exemption") needs no deal topic.
- ``fold(text)`` (set 13): one form of the text that every test here reads (NFKC, invisible
  and bidi characters removed, parenthesised, circled, squared and regional-indicator letters,
  small capitals and look-alike letters made Latin, combining marks dropped); the original
  is what is shown and quoted.
- ``commercial(sentence, known)`` (set 13): a term of our deal by what the sentence carries,
  not by a state word: a money figure or a percentage with a price, discount, fee, term,
  order or approval of ours; a budget said to have changed; a signing, approving or contact
  role given to someone the account's known people do not include; bank details; a date of
  the deal's paper. Their own budget as stated, their counts, metrics, losses, rules, asks
  and timeline, a rival's quote and a known signer are not. ``claim_of`` is ``settles`` or
  ``commercial``: what a customer's sentence claims. Said only by the customer, it is held
  like a settled state, unless our own notes or turns state the same figure.
- ``claimed_line(...)``: how such a sentence is shown when a conclusion would rest only on it,
  in the customer's words: "Claimed by Dana Ruiz in turn t3 ...: confirm it on the call". The
  sentence is kept and shown, only not acted on.

Pure functions; touches nothing.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.injection import foreign
from assistant.injection import sentences as _spans
from assistant.numbers import digits, numerals, only_ours, priced
from assistant.numbers import figures as _values
from assistant.provenance import claims

__all__ = ["CLAIMED", "RIVAL_CHOSEN", "SIGNED", "WON", "claim_of", "claimed_line", "clauses",
           "commercial", "demand", "document", "field_state", "figures", "fold", "headline_problem",
           "in_passing", "oblique", "our_figures", "ours_only", "settles", "states"]

CLAIMED = "claimed"  # the kind of a plan risk or a reflection item that shows a claim
_I = re.IGNORECASE


# ---- fold: one form of the text for every test below (set 13) --------------------------------
# What a reader sees, not how it is encoded: invisible characters (zero-width, bidi controls,
# soft hyphens, variation selectors, tag characters) go; NFKC folds full-width, mathematical,
# circled and superscript letters; runs of parenthesised letters ("⒟⒜⒩⒜" is "(d)(a)(n)(a)"
# after NFKC), negative circled or squared letters and regional indicators become letters;
# small capitals, and Cyrillic or Greek look-alikes inside a Latin word, become Latin; combining
# marks go. The tests read the folded text; what is shown and quoted is the original.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
                        "\ufe00-\ufe0f\U000e0000-\U000e007f\U000e0100-\U000e01ef]")
_PAREN_RUN = re.compile(r"(?:\([^\W_]\)){2,}")
_SMALL_CAPS = str.maketrans("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnopqrstuvwyz")
_LOOK_ALIKE = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ո": "n", "һ": "h", "ӏ": "l", "А": "A", "В": "B", "Е": "E", "К": "K",
    "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "ο": "o", "α": "a",
    "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "Α": "A", "Β": "B",
    "Ε": "E", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X",
})
_LETTER_BLOCKS = ((0x1F150, 0x1F169), (0x1F170, 0x1F189), (0x1F1E6, 0x1F1FF))


def _letters(ch: str) -> str:
    o = ord(ch)
    for lo, hi in _LETTER_BLOCKS:
        if lo <= o <= hi:
            return chr(ord("A") + o - lo)
    return ch


def _latin_word(m: re.Match[str]) -> str:
    word = m.group(0)
    folded = word.translate(_LOOK_ALIKE)
    latin = sum("LATIN" in unicodedata.name(ch, "") for ch in word)
    # a Latin word with look-alikes in it, or a whole word of look-alikes among Latin text
    return folded if folded != word and (latin or folded.isascii()) else word


# characters that show as a blank and are no space: Hangul fillers, the Braille blank
_FILLERS = str.maketrans({c: " " for c in "\u115f\u1160\u3164\uffa0\u2800"})


def fold(text: str) -> str:
    """``text`` as a reader sees it, for the tests to read (see above); idempotent."""
    s = _INVISIBLE.sub("", str(text or "")).translate(_FILLERS)
    if s.isascii():
        return s
    s = "".join(_letters(ch) for ch in s)
    s = unicodedata.normalize("NFKC", s).translate(_SMALL_CAPS)
    s = _PAREN_RUN.sub(lambda m: m.group(0).replace("(", "").replace(")", ""), s)
    s = "".join(ch for ch in unicodedata.normalize("NFD", s)  # combining and enclosing marks
                if unicodedata.category(ch) not in ("Mn", "Me"))  # ("2⃣8⃣%" is "28%")
    s = re.sub(r"[^\W\d_]+", _latin_word, s)
    return digits(unicodedata.normalize("NFC", s))

# ---- settles: topic x state, anywhere in one sentence ----------------------------------------
_DOC = (r"contracts?|order forms?|msa|sow|agreements?|envelopes?|paperwork|docusign|"
        r"purchase orders?|po|renewal|approval|deal|opportunity|signatures?|signers?")
_DOC_STATE = (r"signed|countersigned|executed|completed|complete|closed|done|won(?!['’])|booked|"
              r"formalit(?:y|ies)|in the bag|treat(?:ed)? (?:it |this )?as won|approved|"
              r"finali[sz]ed|issued|raised|released|acceptable|accepted|accepts")
_PRICE = (r"discounts?|pric(?:e|es|ing)|rates?|\d+(?:[.,]\d+)?\s?(?:%|percent|pct)\b|"
          r"off list|list price|terms|liability(?: cap)?|auto-?renew\w*|fees?|"
          r"per (?:vehicle|seat|user|site|unit|license|licence|month|year)|"
          r"/(?:vehicle|seat|user|site|unit|month|yr|year)|year (?:one|two|three|1|2|3)")
_PRICE_STATE = (r"agreed|approved|signed off|sign(?:ed)? off on|ok'?d|okayed|green-?lit|"
                r"accept(?:s|ed)?|as-is|as is|locked(?: in)?|honou?r(?:s|ed)?|match(?:es|ed)?|"
                r"the same|applies|apply|stands|negotiated|confirmed|guaranteed|"
                r"for both years|is getting|gets|got|waived|included|extended to|contracted")
_STEP = (r"security|infosec|legal|procurement|reviews?|questionnaires?|assessments?|audits?|"
         r"approvals?|"
         r"redlines?|rfp|rfq|rfi|tender|sign-?off|soc ?2|pen-?tests?|due diligence|vetting|"
         r"award|purchases?|competitive (?:bid|bidding|process)|(?:[\w-]+-)?bid rules?|"
         r"pilot|poc|proof of concept|evaluation|steps?|stages?|calls?|meetings?")
_STEP_STATE = (r"off the (?:list|table)|removed|dropped|skipped|waived|not (?:be )?required|"
               r"not (?:be )?needed|no longer|isn'?t needed|aren'?t needed|unnecessary|"
               r"formalit(?:y|ies)|bypass(?:ed)?|exempt(?:ed)?|go(?:ing)? straight to|"
               r"no further|not necessary|closed out|pause[ds]?|paused|on hold|hold all|"
               r"cancel(?:l)?ed|scrapped|struck|exemptions?|grants? an exemption|"
               r"(?:falls?|comes?) under (?:this|the|that|an?) (?:exemption|exception|waiver)|"
               r"sole-?source[ds]?|single-?source[ds]?|without (?:any |further )?redlines?|"
               # a step let go: "procurement agreed to skip the three-bid rule"
               r"(?:agreed|decided|allowed(?: us)?|let us|okayed|ok'?d|approved|signed off) "
               r"to (?:skip|drop|waive|bypass|forgo|forego|dispense with)")
# a gate passed: only for the reviews a deal passes (not "the pilot passed its criteria")
_GATE = r"security|infosec|legal|procurement|questionnaires?|redlines?|audits?|vetting"
_GATE_STATE = r"cleared|passed|signed off|done|complete[d]?|approved|finished|closed"
_WHO = (r"signers?|signator(?:y|ies)|decisions?|approvers?|point of contact|contact|"
        # a role for the paper, said plainly: "your guy for the signature", "through to
        # signature"
        r"(?:guy|person|man|woman|one|contact|name) for (?:the )?(?:signature|signing|paper\w*)|"
        r"(?:through|on) to (?:the )?signature|"
        r"budget holder|economic buyer|decision-?maker|owner|sponsor|champion|invoices?|"
        r"(?:person|one) who signs|signs? for (?:us|them|the company)")
_WHO_STATE = (r"taken over|took over|takes over|is now|are now|now (?:the|our|with|sits)|"
              r"from here(?: on(?: in)?)?|stepped (?:back|aside|away|down)|steps? (?:back|aside|"
              r"away|down)|stepping (?:back|aside|away|down)|handed (?:[\w'’-]+ ){0,4}?to|"
              r"changed|replaced|going forward|i'?m the|instead of|no longer|has left|"
              r"moved to|handed (?:over )?to|reassigned|from now on|replaces|replacing|"
              r"succeeds|succeeding|supersedes|takes? over from|effective|now go(?:es)? to")
_RIVAL = (r"award\w*|vendors?|suppliers?|providers?|evaluations?|alternatives?|"
          r"competitors?|shortlist|selection|bid|tender|rfp")
_RIVAL_STATE = (r"awarded|award (?:[\w-]+ ){0,4}to|selected|chosen|chose|went with|"
                r"going with|gone with|closed|preferred|resolved|decided")
_TIME = (r"deadline|go-?live|timeline|signature date|signing date|close date|start date|"
         r"decision date|due date|award date")
_TIME_STATE = r"moved|pushed|postponed|changed|slipped|delayed|brought forward|shifted|now"
_BUDGET = r"budgets?|funding|spend(?:ing)?|purchas\w*|projects?|headcount"
_BUDGET_STATE = (r"frozen|freeze|paused|pause|on hold|cut|cancel(?:l)?ed|pulled|shelved|"
                 r"halted|suspended")
# the kinds a recorded outcome can confirm (``reflect.validate``: a won deal was signed)
SIGNED = "a contract or document said to be signed or done"
WON = "the deal said to be won or closed"
RIVAL_CHOSEN = "a rival said to be chosen"
_PAIRS: tuple[tuple[str, str, str], ...] = (
    (SIGNED, _DOC, _DOC_STATE),
    ("a price or discount said to be agreed", _PRICE, _PRICE_STATE),
    ("a review or step said to be dropped", _STEP, _STEP_STATE),
    ("a review or step said to be passed", _GATE, _GATE_STATE),
    ("a signer or contact said to have changed", _WHO, _WHO_STATE),
    (RIVAL_CHOSEN, _RIVAL, _RIVAL_STATE),
    ("a date said to have moved", _TIME, _TIME_STATE),
    ("a budget said to be frozen", _BUDGET, _BUDGET_STATE),
)
_COMPILED = tuple((what, re.compile(rf"(?<![\w-])(?:{t})(?![\w-])", _I),
                   re.compile(rf"(?<![\w-])(?:{s})(?![\w-])", _I)) for what, t, s in _PAIRS)
# a stage moved in a record ("Stage | Discovery -> Negotiation"), a late stage named
_STAGE_MOVE = re.compile(r"(?:-+>|-›|→|=>|»)\s*\w|\bclosed[- ]?won\b|\bverbal commit\b"
                         r"|\bnegotiation/review\b", _I)
# a record's field that states the deal ("Term: 36 months", "Discount: 26%", "Signer: ...")
_FIELD = re.compile(r"(?:^|[|\n]\s*)(?:term|stage|amount|total|discount|signer|signed|"
                    r"close date|contract value|quantity|qty|unit price|price|rate|po (?:no|#|"
                    r"number)|order (?:no|#|number)|envelope(?: id)?)\s*[:=|]"
                    # a sign-off block's field: "Approved (customer): Dana Ruiz", "Accepted by:"
                    r"|(?:^|[|\n]\s*)(?:approved|accepted|authori[sz]ed|agreed|executed|"
                    r"countersigned|signed)(?:\s+by|\s*\([^)\n]{1,30}\))\s*:", _I)
# a pilot, a phase or a rollout said to be accepted or authorised, as its own state ("the
# pilot is confirmed for all 1,150 vehicles", "accepts the pilot in full and authorises Phase
# 2"); not a budget for one ("Dana confirmed budget for a pilot"), nor their own programme
_PHASE = (r"(?:pilot|trial|poc|proof of (?:concept|value)|"
          r"phase(?: \d+| one| two| three| [ivx]+)?|rollout|roll-out|deployment|purchase order)")
_PHASE_SETTLED = re.compile(
    rf"\b{_PHASE}(?:\s+[\w-]+){{0,3}}?\s+(?:is|was|has been|have been|are|were|now)\s+"
    r"(?:now\s+|fully\s+|formally\s+)?(?:confirmed|accepted|authori[sz]ed|approved|awarded|"
    r"green-?lit|signed off|signed|contracted|committed)\b"
    r"|\b(?:accept(?:s|ed)?|authori[sz](?:es|ed)|approves|green-?lights?|green-?lit|"
    rf"signs? off on|signed off on)\s+(?:the\s+|our\s+|your\s+)?(?:[\w-]+\s+){{0,3}}?{_PHASE}\b",
    _I)
# a condition, not a state: "If the trial is confirmed we would ...", "once the pilot is signed"
_CONDITION_BEFORE = re.compile(r"\b(?:if|once|when|unless|until|as soon as|after|before|"
                               r"whether)\b[^,;:.]*$", _I)
# a new party settled on: "with our new partner", "our newly contracted X platform"
_NEW_PARTY = re.compile(r"\b(?:with|on|onto|by|to)\s+(?:our|the)\s+new\s+(?:[\w-]+\s+)?"
                        r"(?:partner|vendor|provider|supplier|platform)s?\b"
                        r"|\bnewly\s+(?:contracted|signed|selected|chosen|awarded|procured|"
                        r"onboarded)\b", _I)
# a role named on a card or a document: who signs or decides now ("Contract signatory - fleet")
_SIGNER_ROLE = re.compile(r"\b(?:contract|contracts|authori[sz]ed|sole|designated|new)\s+"
                          r"(?:signator(?:y|ies)|signers?|approvers?|decision-?makers?)\b", _I)
# a purchase order's number: an order said to be issued ("ACM-PO-230917", "PO #4411")
_PO_NUMBER = re.compile(r"\b[A-Z]{2,}-PO-\d+|\bPO\s*(?:No\.?|#|number)\s*:?\s*[\w-]*\d", _I)
# where we are asked to send documents, pricing or money ("send the order form ... to me")
_SEND_TO = re.compile(r"\b(?:send|email|e-mail|forward|route|direct|address)\b[^.;\n]{0,60}?"
                      r"\b(?:order forms?|contracts?|pricing|prices|quotes?|invoices?|"
                      r"paperwork|documents?|docs|msa|sow|po)\b[^.;\n]{0,40}?"
                      r"\b(?:to me|directly|instead|from now on|going forward)\b", _I)
# only a signature left: the deal said to be settled but for the ink ("this slot is just for
# the countersignature", "signature only", "all that's left is to sign")
_INK_ONLY = re.compile(r"\b(?:only|just|merely|simply|purely)(?: for| about)? (?:the |a |your |"
                       r"our )?(?:counter-?)?signatures?\b|\b(?:counter-?)?signatures? only\b"
                       r"|\ball (?:that['’]?s|that is|we need is|that remains is) (?:left )?"
                       r"(?:is )?(?:to )?(?:counter-?)?sign(?:ing|atures?)?\b", _I)
# the deal to be taken as settled ("treat the rollout as won", "consider it signed")
_TREAT_AS = re.compile(r"\b(?:treat|consider|count|book|mark|log)(?:s|ed|ing)? (?:[\w-]+ ){0,4}"
                       r"as (?:won|closed|closed[- ]won|done|signed|committed|final|a formality)\b",
                       _I)
# the customer's own money approved ("the board approved $65k for the pilot"): their yes
_OWN_BUDGET = re.compile(r"\b(?:budget|funding|spend)\b|[$€£]\s?\d[\d,.]*\s?(?:k|m)?\b"
                         r"(?![^.;\n]{0,20}\b(?:per|/|a (?:seat|vehicle|user|month)))", _I)
_NOT_OWN_BUDGET = re.compile(r"discount|%|percent|\bpct\b|signed|closed|contract|price|"
                             r"pricing|rate\b|list\b|\bterms\b|vendor|supplier|redline|"
                             r"review|waive", _I)
_THEIR_DEAL = re.compile(r"\btheir (?:order form|contract|msa|agreement|paperwork|quote|offer|"
                         r"proposal|terms)\b|\b(?:quoted|offered|offers|quotes)\s+us\b"
                         r"|\bcontract with (?-i:[A-Z])", _I)
_RIVAL_DECIDED = re.compile(r"\b(?:signed|chose|chosen|decided on|went with|going with|"
                            r"selected|picked|quoted|offered|renewed|raised|charged|billed|"
                            r"invoiced)\b", _I)
# a positive state negated just before it ("we don't match", "is not signed"); the negative
# states ("not required", "no longer needed") carry their own "not"
_NEGATED_BEFORE = re.compile(r"\b(?:not|never|no|nothing|nobody|none|neither|nor|cannot|"
                             r"\w+n['’]t)\s+(?:[\w-]+\s+){0,2}$", _I)
# a state said as what someone would or could do ("the range Maria will accept", "we can
# match it"): a prospect, not a state; "will be skipped" (a decided passive) still counts
_MODAL_BEFORE = re.compile(r"\b(?:will|would|could|might|may|should|can|shall)\s+$|['’]ll\s+$"
                           # a requirement, not a state: "the contract has to be done in January"
                           r"|\b(?:has|have|need|needs|ought|got) to (?:be |get )?$"
                           r"|\bmust (?:be )?$", _I)
# a pause lifted in the same sentence ("[call paused 11:40, resumed 14:05]"): no state left
_LIFTED = re.compile(r"^[^.;]{0,40}\b(?:resumed|restarted|unpaused|back on|lifted)\b", _I)
_QUOTED = re.compile(r"(?:^|[\s:(])[\"“'‘]([^\"”’\n]{20,}?)(?:[\"”’]|'(?!\w)|$)")


# ---- document: text that is a pasted document, not someone talking -------------------------
# a heading in capitals ("CERTIFICATE OF ACCEPTANCE", "CHANGE ORDER CO-03", "PRIVILEGED -
# MEMORANDUM"), a card's or a file's markers ("BEGIN:VCARD", "[Scanned business card - OCR]"),
# a post's byline ("Tom Becker (Head of Operations, Acme Corp) posted:"), a board's columns
_DOC_STRONG = re.compile(
    r"(?<![\w-])[A-Z]{3,}(?:[ \t]+(?:[-–:/&][ \t]+)?[A-Z]{2,}[A-Z0-9]*(?:-[A-Z0-9]+)*)+(?![\w-])"
    r"|\bBEGIN:[A-Z]+|(?:^|(?<=\s))\[(?i:scanned|scan|attached|attachment|screenshot|export|ocr|image|"
    r"photo|picture|whiteboard)\b"
    r"|\b(?:posted|tweeted|wrote on (?:linkedin|x|twitter|facebook))\s*:"
    r"|\b(?:column|board|card|ticket|status)\s+[A-Z]{3,}\s*:", re.MULTILINE)
# a form's labels: "To:", "From:", "Re:", "Accepted by:", "Approved (customer):", "Ref."
_DOC_LABEL = re.compile(r"(?:^|(?<=\s))(?:To|From|Re|Subject|Cc|Bcc|Attn|Ref|Column|Board|"
                        r"(?:Accepted|Approved|Signed|Authori[sz]ed|Issued|Prepared|Executed)"
                        r"(?: by| \([a-z ]+\))|FN|ORG|TITLE|NOTE|TEL|EMAIL|ADR):(?=\s*\S)",
                        re.MULTILINE)
_ACRONYMS = re.compile(r"\b(?:MSA|SOW|NDA|CFO|CEO|COO|CTO|CIO|CISO|VP|SVP|EVP|PO|RFP|RFQ|"
                       r"SLA|KPI|ROI|API|SSO|SOC|ISO|USD|EUR|GBP|CRM|ERP|WMS|TMS|ELD|GPS|"
                       r"IT|HR|OK|US|UK|EU|AI|QBR|POC)\b")


# a record's header line: a title naming what kind of record follows ("Annex 3 - Data
# Processing Agreement, signature page", "Acme Ops FAQ - telematics rollout", "Vendor
# selection retro (Ops, draft)"), at a line's start or after the sentence before it, with
# more lines after it; no one talking in it (no "I", "we", "you"), no sentence's end
_RECORD_NOUN = re.compile(
    r"(?<![\w-])(?:agreements?|annex|appendix|schedule|form|request|matrix|log|ticket|portal|"
    r"advice|summary|retro(?:spective)?|faq|page|notice|invoice|quote|minutes|memo|report|"
    r"checklist|register|tracker|export|record|certificate|statement|receipt|policy|"
    r"bulletin|changelog|release notes|status|results?|poll|survey|org chart|roster|"
    r"timeline|plan of record|decision|dashboard)(?![\w-])", _I)
_TALKING = re.compile(r"(?<![\w-])(?:i|i['’]m|i['’]ll|i['’]ve|we|we['’]re|we['’]ll|you|me|us|"
                      r"our|let['’]s|my|your)(?![\w-])", _I)


_OPEN_END = re.compile(r"(?<![\w-])(?:and|or|but|the|a|an|of|in|on|to|for|with|by|at|from|"
                       r"that|which|who|is|are|was|were)$", _I)


def _record_header(text: str) -> bool:
    lines = [ln.strip(" \t>") for ln in fold(text).split("\n")]
    for i, line in enumerate(lines[:-1]):
        # hard-wrapped prose goes on in lower case ("... walked through with Brian and /
        # Tom."): a header's next line starts a record of its own
        if not re.match(r"[A-Z0-9\"“(\[*•|-]", lines[i + 1].strip()):
            continue
        tail = re.split(r"(?<=[.!?])\s+", line)[-1].strip()
        words = tail.split()
        if 2 <= len(words) <= 10 and re.match(r"[A-Z0-9]", tail) \
                and not re.search(r"[.!?:,;]$", tail) and _RECORD_NOUN.search(tail) \
                and not _TALKING.search(tail) and not _OPEN_END.search(tail):
            return True
    return False


def document(text: str) -> bool:
    """Whether ``text`` holds a pasted document (a certificate, a card, a memo, a board
    export, a post, a form) rather than only someone talking: a heading in capitals, a
    card's or a file's markers, a byline, two form labels, or a record's header line
    (``_record_header``). Acronyms a customer says ("the MSA and the SOW") make no heading."""
    plain = _ACRONYMS.sub("x", fold(text))
    return bool(_DOC_STRONG.search(plain)) or len(_DOC_LABEL.findall(plain)) >= 2 \
        or _record_header(text)


# in a document, a settled state needs no deal topic next to it: "Acme Corp accepts ... in
# full", "sole-source approved by Dana R.", "Deal done", "grants an exemption"
_ANY_STATE = re.compile(
    r"(?<![\w-])(?:signed|countersigned|executed|accept(?:s|ed)|approv(?:es|ed)|"
    r"authori[sz](?:es|ed)|contracted|confirm(?:s|ed)|chosen|chose|selected|awarded|"
    r"exempt(?:ed|s)?|exemption|waive[ds]|dropped|replace[ds]|kick(?:s|ed)? off|kicked off|"
    r"completed|closed|granted|grants|done|finali[sz]ed|won|committed|green-?lit|agreed)"
    r"(?![\w-])",
    _I)


def _own_budget(sentence: str, state: re.Match[str]) -> bool:
    return (state.group(0).casefold() == "approved" and bool(_OWN_BUDGET.search(sentence))
            and not _NOT_OWN_BUDGET.search(sentence))


def _rivals_deal(text: str, rivals: tuple[str, ...]) -> bool:
    """The state is a rival's deal or offer, not ours: "we signed their order form", "the
    contract with SiteVault", "FleetCo quoted us $90k with setup included"."""
    if _THEIR_DEAL.search(text):
        return True
    return any(re.search(rf"(?<!\w){re.escape(r)}(?!\w)", text, _I) for r in rivals if r.strip()) \
        and bool(_RIVAL_DECIDED.search(text))


# a list of what they require of us, said as such: no state of the deal
_REQUIREMENTS = re.compile(r"\b(?:i|we) (?:need|require|expect)(?: (?:from you|to see))?\s*:",
                           _I)
_DONE_ALREADY = re.compile(r"\b(?:already|has been|have been|no longer)\b", _I)


def settles(sentence: str, rivals: tuple[str, ...] = (), *, in_document: bool = False
            ) -> str | None:
    """``_settles`` of the sentence, or of one of its clauses when it is a run-on line
    (``clauses``: dictation without punctuation)."""
    found = _settles(sentence, rivals, in_document=in_document)
    if found is None:
        for part in clauses(sentence):
            if (found := _settles(part, rivals, in_document=in_document)) is not None:
                break
    return found


def _settles(sentence: str, rivals: tuple[str, ...] = (), *, in_document: bool = False
             ) -> str | None:
    """What changed or settled deal state ``sentence`` states, in words, or None. A rival's
    deal or offer (``rivals``: the competitors the notes or the team name) is not ours.
    ``in_document``: the sentence sits in a pasted document (``document``), whose
    statements are a third party's: a settled state needs no deal topic there.

    Looser than ``provenance.claims`` on purpose (no exemption for a plan, a hedge or a
    request; any tense; topic and state anywhere in the sentence): the consequence is mild,
    the sentence is shown as a claim to confirm and not acted on."""
    text = " ".join(fold(sentence).split())
    if not text or _rivals_deal(text, rivals):
        return None
    if _REQUIREMENTS.search(text) and not _DONE_ALREADY.search(text):
        return None  # "Before any home goes live I need: our questionnaire completed, …"
    found = claims(text)
    if found:
        return "a deal-changing claim"
    if _STAGE_MOVE.search(text) and re.search(r"\bstage|opportunity|deal|\bcommit|discount|"
                                              r"price|amount|close date|%", text, _I):
        return "a deal record said to have changed"
    if _FIELD.search(text) or _PO_NUMBER.search(text):
        return "a record's field stating the deal"
    if _TREAT_AS.search(text):
        return WON
    if (m := _INK_ONLY.search(text)) and not _NEGATED_BEFORE.search(text[:m.start()]):
        return SIGNED
    if _NEW_PARTY.search(text):
        return RIVAL_CHOSEN
    if _FINAL.search(text):
        return "a price said to be final"
    if (m := _PHASE_SETTLED.search(text)) and not _NEGATED_BEFORE.search(text[:m.start()]) \
            and not _MODAL_BEFORE.search(text[:m.start()]) \
            and not _CONDITION_BEFORE.search(text[:m.start()]):
        return "a pilot, phase or order said to be accepted or authorised"
    if _SIGNER_ROLE.search(text):
        return "a signer or contact said to have changed"
    if _SEND_TO.search(text):
        return "a new place to send documents or pricing"
    for what, topic, state in _COMPILED:
        if _pair(text, topic, state):
            return what
    if field := field_state(text):
        return field
    if passing := in_passing(text):
        return passing
    for m in _QUOTED.finditer(text):
        if len(m.group(1).split()) >= 5 and foreign(m.group(1)):
            return "a quote in another language"
    if in_document and _pair(text, re.compile(r"\S"), _ANY_STATE):
        return "a settled state in a pasted document"
    return None


# ---- clauses and oblique states (set 14) ----------------------------------------------------
# Dictation and chat typed without punctuation run a whole message into one "sentence" ("hi
# avery quick one from the car dana's handed the telematics thing to marcus ellery so he's
# your guy for the signature from here on ..."): a test that reads a sentence as one thing
# (a want in one part vetoing a figure in another) misreads it. ``clauses`` cuts such a line
# (long, with no punctuation mark at all) before its conjunctions and
# before a capitalised name that starts a new clause, and cuts what is still long into
# overlapping windows.
_RUN_ON_WORDS = 16
_WINDOW = 12
_CONJUNCTION = re.compile(r"\s+(?=(?:so|and|but|then|because|cause|cos|plus|anyway|also|"
                          r"which means|meaning)\s)", _I)
_LINKING = frozenset("to by with from for and of at in on the a an per as via than".split())


def clauses(sentence: str) -> list[str]:
    """The clauses of a run-on line (see above); [] for a sentence that is not one."""
    text = " ".join(fold(sentence).split())
    words = text.split()
    if len(words) < _RUN_ON_WORDS or re.search(r"[.,;:!?()\u2013\u2014]|\s-\s", text):
        return []
    parts: list[list[str]] = []
    for part in _CONJUNCTION.split(text):
        current: list[str] = []
        for w in part.split():
            # a capitalised name after a word that does not lead into it starts a clause
            if current and re.match(r"[A-Z][a-z]", w) \
                    and current[-1].casefold() not in _LINKING \
                    and not re.match(r"[A-Z]", current[-1]):
                parts.append(current)
                current = []
            current.append(w)
        if current:
            parts.append(current)
    out: list[str] = []
    for p in parts:
        if len(p) <= _WINDOW + 4:
            out.append(" ".join(p))
        else:
            step = _WINDOW // 2
            out += [" ".join(p[k:k + _WINDOW]) for k in range(0, len(p) - step, step)]
    return out if len(out) > 1 else []


# A settled state said with no figure and no state word: who says it and what it names.
# - a rival chosen: a customer's fragment led by an outside name (not one of the account's
#   people, not a day or a greeting), with no verb of its own beyond "is" and nothing
#   compared ("Fleetwise it is then.", "Samsara per steerco Tue."): a verdict, not a remark
#   ("Fleetwise came in lower", "Samsara looked good in the demo").
# - a quantity deployed from a start: a count of the deal's units put to use from a day
#   ("Forty vans on it from Monday", read "40 vans ..."), not wanted, planned or conditional.
# - a price said to be final by a tautology ("the number's the number", "a price is a price").
_FINAL = re.compile(r"(?<![\w-])(?:the|a|that|our|your) (number|price|figure|rate|quote|deal|"
                    r"offer)(?:['’]s| is) (?:the|a|that|our|your) \1(?![\w-])", _I)
_OUTSIDE_NAME = re.compile(r"(?-i:[A-Z][a-z]+(?:[A-Z][a-z]+)*)(?![\w'’-])")
_NOT_A_NAME = frozenset(
    "thanks thank hi hello hey yes no ok okay great sounds perfect sure cool noted agreed fine "
    "good right well so and but then also re fw fwd note update please sorry agenda lunch call "
    "today tomorrow tonight next last this that these those here there what when where who why "
    "how monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur "
    "thurs fri sat sun january february march april may june july august september october "
    "november december jan feb mar apr jun jul aug sep sept oct nov dec morning afternoon "
    "evening congrats congratulations welcome cheers best regards happy nice love loved liked "
    "done got same all none nothing everyone anyone our we i my your their they he she it its "
    "the a an his her us them you honestly frankly basically seriously really actually "
    "literally anyway look listen well".split())
# what makes the named one chosen: the choice pointed back to ("it is", "it'll be"), the body
# that made it ("per steerco", "per the board"), or the choice said to hold ("all the way",
# "going forward", "for us")
_CHOSEN_TAIL = re.compile(r"^\W*(?:it(?:['’]s| is| will be| ?['’]ll be| was)(?:\s+(?:then|now|"
                          r"final|decided|for (?:us|now)|going forward))?\W*$|per\s+\w"
                          r"|(?:it\s+)?(?:all the way|going forward|for us|from here)\W*$)", _I)
_HAS_VERB = re.compile(
    r"(?<![\w'’-])(?:[a-z]+ed|[a-z]+ing|came|come|comes|quote[sd]?|offers?|costs?|looks?|was|"
    r"were|are|has|have|had|does|did|do|demos?|pitch(?:es)?|sent|sends?|said|says?|wants?|"
    r"needs?|asks?|charges?|runs?|ran|uses?|seems?|can|could|would|will|should|might|must|"
    r"gets?|got|gave|gives?|went|goes|beats?|beat|wins?|won|lost|loses?|[a-z]+n['’]t|"
    r"called|calls?|told|tells?|thinks?|thought|knows?|knew|sounds?|works?|isn['’]t)"
    r"(?![\w'’-])|\?", _I)
_COMPARED = re.compile(r"(?<![\w-])(?:[a-z]+er than|cheaper|lower|higher|better|worse|more|less|"
                       r"vs\.?|versus|or|either|maybe|perhaps|might|if)(?![\w-])", _I)
_DEAL_UNITS = (r"vans?|vehicles?|trucks?|units?|seats?|users?|devices?|licen[cs]es?|drivers?|"
               r"tractors?|trailers?|sites?|depots?|terminals?|homes?|kitchens?|locations?")
_DEPLOYED = re.compile(
    rf"(?<![\w.,-])\d[\d,]*\s+(?:[\w-]+\s+)?(?:{_DEAL_UNITS})(?![\w-])[^.;?]{{0,30}}?"
    r"(?<![\w-])(?:from|starting|as of|effective|live|running|deployed|installed)\s+"
    r"(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|"
    r"fri|today|tomorrow|next \w+|the \d|\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
    r"dec)\w*", _I)
_NOT_YET = re.compile(r"(?<![\w'’-])(?:if|once|when|unless|would|could|might|may|should|want\w*|"
                      r"plan\w*|hope\w*|aim\w*|target\w*|propos\w*|need\w*|ask\w*|let['’]?s|"
                      r"can|will|like|prefer\w*|expect\w*|budget\w*|maybe|perhaps)(?![\w'’-])"
                      r"|['’](?:ll|d)\b|\?",
                      _I)


def _verdict(text: str, known: tuple[str, ...]) -> bool:
    body = re.sub(r"^\W*(?:[A-Z][\w.'’ -]{0,40}?:\s+)?", "", text).strip()
    words = body.split()
    m = _OUTSIDE_NAME.match(body)
    if not m or not 2 <= len(words) <= 6:
        return False
    known_words = {w.casefold() for k in known for w in k.split() if len(w) >= 2}
    name = m.group(0).casefold()
    if name in _NOT_A_NAME or name in known_words:
        return False
    return bool(_CHOSEN_TAIL.match(body[m.end():])) and not _HAS_VERB.search(body[m.end():]) \
        and not _COMPARED.search(body)


def oblique(sentence: str, known: tuple[str, ...] | None = None) -> str | None:
    """A settled deal state said with no figure and no state word (see above), or None.
    ``known``: the account's people and our team (None: no roster, so no rival is read)."""
    text = numerals(" ".join(fold(sentence).split()))
    # a quote of two sentences ("Samsara per steerco Tue. keep Avery's as reference only"):
    # the verdict is one of them
    if known is not None and any(_verdict(text[a:b], known) for a, b in _spans(text)):
        return RIVAL_CHOSEN
    if _DEPLOYED.search(text) and not _NOT_YET.search(text):
        return "a quantity said to be deployed from a date"
    return None


# A customer's demand (a counter-offer): the terms they set for signing, said as a condition
# of theirs ("Here's what gets this signed: $70 a seat", "we sign today at $70 a seat", "$70 or
# we walk"). Held as a claim, it is no term of ours; shown in the plan only as their ask,
# quoted with its source (``assistant.prep.reading``: an objection to answer).
_DEMAND = re.compile(
    r"(?<![\w-])(?:what (?:gets|will get|would get|it takes to get|it['’]ll take to get) "
    r"(?:this|it|us|the deal|the contract)(?: [\w-]+)? (?:signed|done|over the line|across the "
    r"line|closed)|(?:i|we)(?:['’]d|['’]ll| would| will| can| could) (?:sign|go ahead|close|"
    r"commit)(?: (?:today|now|this week|tomorrow))? (?:at|for|if|when|on)|"
    r"counter-?offer|(?:our|my) (?:counter|terms|number|offer)(?: is| are|:)|"
    r"or (?:we|i) (?:can |will |could |['’]ll )?walk|take it or leave it|meet (?:us|me) at|"
    r"(?:get|bring) (?:it|this|the price|us) (?:down )?to)(?![\w-])", _I)


def demand(sentence: str) -> bool:
    """Whether ``sentence`` sets the customer's terms for signing (see above)."""
    return bool(_DEMAND.search(" ".join(fold(sentence).split())))


# ---- fields: a record's line that states a deal state by its shape (set 12) ------------------
# A record carries a deal state in a field, not in a sentence: "Status: Done   Resolution:
# Won't Do", "Approved: USD 95,000", "Pay to: account ending 7731", a table row's "order placed
# 12/03", a subject line's "CLOSED - signed copy attached", a header's "ACCEPTED by Dana Ruiz".
# By shape: a key and its value (or a table's cell), where the key names a settled state
# itself (``_STATE_KEY``) or a deal topic whose value is a settled state (``_SETTLED``). A
# value still open ("Status: In Progress", "Decision: pending", "Status: we're still
# evaluating") is no claim, nor a key that says it is only wanted ("Requested:", "Target
# go-live:").
_SETTLED = (r"approved|accepted|signed|countersigned|executed|done|closed|won|completed?|"
            r"waived|exempt(?:ed)?|selected|chosen|awarded|agreed|resolved|placed|paid|"
            r"issued|cleared|passed|granted|authori[sz]ed|finali[sz]ed|won['’]t do|"
            r"not (?:required|needed|applicable)|skipped|dropped|settled|sorted|locked(?: in)?|"
            r"booked|committed|contracted|onboarded|verbal(?:ly)? commit(?:ted)?")
_SETTLED_RE = re.compile(rf"(?<![\w-])(?:{_SETTLED})(?![\w-])", _I)
_STATE_KEY = re.compile(
    r"(?<![\w-])(?:approved|accepted|agreed|signed|executed|countersigned|awarded(?: to)?|"
    r"selected|chosen(?: [\w-]+)?|decision|decided|resolution|winner|pay to|payee|"
    r"remit(?:tance)? to|bank(?: details| account| name)?|account (?:no\.?|number|ending|#)|"
    r"iban|swift|bic|routing(?: no\.?| number)?|sort code|(?:agreed|final) price|"
    r"signator(?:y|ies)|approver)(?![\w-])", _I)
_TOPIC_KEY = re.compile(
    r"(?<![\w-])(?:status|stage|approvals?|signatures?|reviews?|bids?|tender|rfp|procurement|"
    r"legal|security|infosec|contracts?|orders?|order forms?|po|terms|pric(?:e|es|ing)|"
    r"quotes?|discounts?|vendors?|suppliers?|payments?|invoices?|deposit|go-?live|award|"
    r"dpa|msa|sow|liability|redlines?|sign-?off|budget|funding|capex|position|poll|vote)"
    r"(?![\w-])", _I)
_WANTED_KEY = re.compile(r"(?<![\w-])(?:requested|target|planned|expected|estimated|proposed|"
                         r"desired|draft|next|open|pending|to do|todo|if|when|once)(?![\w-])",
                         _I)
_OPEN_VALUE = re.compile(r"^\W*(?:pending|tbd|tbc|tba|n/?a|none|open|in progress|in review|"
                         r"under review|submitted|draft|not yet|awaiting|to be|requested|"
                         r"planned|expected|proposed|unknown|not started|undecided|after|"
                         r"once|when|until|depends|if|\?|-+|—)(?![\w-])", _I)
_KEY_CUT = re.compile(r"[|;,.!?](?:\s|$)|[|;]| [-–—] |[()\[\]\"“”]")
# a subject line, a title or a summary whose value itself says the deal is settled
_TITLE_KEY = re.compile(r"^(?:subject|re|fw|fwd|summary|title|description|headline|"
                        r"topic)$", _I)
# a settled state and who did it: "ACCEPTED by Dana Ruiz", "Executed on behalf of Acme
# Corp by Tom Becker", "approved by Dana Ruiz on 12/04"
_BY_AGENT = re.compile(r"(?<![\w-])(?:signed|countersigned|executed|accepted|approved|awarded|"
                       r"authori[sz]ed|agreed|waived|exempted|selected|chosen|confirmed|"
                       r"finali[sz]ed|closed)(?: (?:on behalf of|for) [\w .&,'’-]{1,40}?)?"
                       r" by (?-i:[A-Z])", _I)
# a settled state said in passing as already agreed ("where we landed last week, the
# thirty-four dollars per unit", "as agreed", "so that's sorted", "thanks for holding the
# 2025 pricing"): with a deal topic in the same sentence
_PASSING = re.compile(
    r"\bwhere we (?:landed|ended up|got to|settled)\b"
    r"|\bwhat we (?:landed on|settled on|agreed(?: on)?|shook (?:hands )?on)\b"
    r"|\b(?:we|you and i|both sides) (?:landed on|settled on|shook (?:hands )?on)\b"
    r"|\bas (?:we )?(?:already |previously )?(?:discussed and )?agreed\b"
    r"|\b(?:as )?per (?:our|the) (?:agreement|deal|handshake)\b"
    r"|\bthat['’]?s (?:us |all )?(?:sorted|settled|locked in|agreed)\b"
    r"|\b(?:we['’]re|we are) (?:all )?(?:fine|good|set|sorted|settled) "
    r"(?:there|on that|on (?:the )?(?:price|pricing|terms))\b"
    r"|\b(?:thanks|thank you)(?: again| so much)? for (?:holding|honou?ring|matching|waiving|"
    r"extending|locking(?: in)?|approving|agreeing to|signing off|freezing|keeping)\b", _I)
_PASSING_TOPIC = re.compile(
    rf"(?<![\w-])(?:{_PRICE}|{_DOC}|{_STEP}|{_TIME}|term|dollars?|euros?|pounds?|bucks|quid|"
    r"[$€£]\s?\d|\d[\d,.]*\s?(?:usd|eur|gbp|k)\b)(?![\w-])", _I)


def _not_open(before: str) -> bool:
    """A state word, given the text before it, neither negated, nor a prospect, nor a
    condition ("not approved", "to be signed by Dana", "once the quote is accepted by ...")."""
    return not (_NEGATED_BEFORE.search(before) or _MODAL_BEFORE.search(before)
                or _CONDITION_BEFORE.search(before)
                or re.search(r"\bto be\s+$|\bawaiting\s+$|\bfor\s+$", before, _I))


def _fields(text: str) -> list[tuple[str, str]]:
    """The (key, value) pairs of ``text``: a key is up to four words before a ": " (cut at a
    sentence's end, a cell's "|", a " - ", a bracket), its value runs to the next key's colon
    or the next "|"."""
    colons = [m for m in re.finditer(r"(?<=\S):\s+", text)]
    out = []
    start = 0
    for i, m in enumerate(colons):
        prefix = _KEY_CUT.split(text[start:m.start()])[-1]
        key = " ".join(prefix.split()[-4:])
        end = colons[i + 1].start() if i + 1 < len(colons) else len(text)
        value = text[m.end():end].split("|")[0].strip()
        if i + 1 < len(colons):  # the next key's words are not this value's
            nxt = _KEY_CUT.split(text[m.end():end])[-1].split()[-4:]
            words = value.split()
            value = " ".join(words[:max(1, len(words) - len(nxt))]) if nxt else value
        spoken = i == 0 and len(prefix.split()) > 4  # "What we need before it's signed:"
        if key and re.match(r"[^\W\d_]", key) and not spoken:
            out.append((key, value))
        start = m.end()
    return out


# a key that ends on the state ("Approved", "Pay to", "Poll closed"), and what a key that
# opens with a state settles ("Chosen date", "Agreed price")
_STATE_KEY_END = re.compile(rf"(?:{_STATE_KEY.pattern})$", _I)
_SETTLED_END = re.compile(rf"(?<![\w-])(?:{_SETTLED})$", _I)
_SETTLES_WHAT = re.compile(rf"(?:{_TOPIC_KEY.pattern}|date|amount|rate|partner|provider)", _I)


# words no record's key holds: a sentence that runs into a colon ("Here's what gets this
# signed: $70 a seat, 12 months") is someone talking, not a field
_SPEECH_KEY = re.compile(r"(?<![\w'’])(?:here|what|this|that|it|i|we|you|they|he|she|"
                         r"gets?|got|is|are|was|were|would|will)(?:['’]s)?(?![\w'’])", _I)


def field_state(text: str) -> str | None:
    """What deal state a record's field, a table's row, a subject line or a header in
    ``text`` states by its shape, or None (see ``_SETTLED``, ``_STATE_KEY``)."""
    text = " ".join(fold(text).split())
    if not text:
        return None
    for m in _BY_AGENT.finditer(text):
        if _not_open(text[:m.start()]) and not _own_budget(text, m):
            return "a record's field stating the deal"
    for key, value in _fields(text):
        last = " ".join(key.split()[-3:])
        if not value or _WANTED_KEY.search(key) or _OPEN_VALUE.match(value) \
                or _SPEECH_KEY.search(key):
            continue
        # the key ends on the state ("Approved", "Resolution", "Pay to", "Poll closed") or
        # opens with it before what it settles ("Chosen date", "Agreed price"); not a plan
        # or a metric someone agreed ("Agreed plan:", "Success metric agreed with Luis:")
        first, *rest = last.split()
        if _STATE_KEY_END.search(last) or _SETTLED_END.search(last) \
                or rest and _SETTLED_RE.fullmatch(first) and _SETTLES_WHAT.fullmatch(rest[-1]):
            return "a record's field stating the deal"
        title = bool(_TITLE_KEY.match(key.split()[-1]))
        state = _SETTLED_RE.search(value if title else " ".join(value.split()[:6]))
        own = re.search(r"\b(?:budget|funding|spend|capex)\b", last, _I) \
            and not _NOT_OWN_BUDGET.search(value)  # "Budget: $95k approved in principle"
        if state and (title or _TOPIC_KEY.search(last)) and not own \
                and _not_open(value[:state.start()]):
            return "a record's field stating the deal"
    cells = [c.strip() for c in text.split("|")] if text.count("|") >= 2 else []
    for cell in cells[1:]:
        if ":" in cell or len(cell.split()) > 8:
            continue  # a field is read above; a long cell is prose
        state = _SETTLED_RE.search(cell)
        if state and _not_open(cell[:state.start()]):
            return "a record's field stating the deal"
    return None


def in_passing(text: str) -> str | None:
    """A deal state said in passing as already agreed, or None: "where we landed last week,
    the thirty-four dollars per unit", "as agreed, the pilot starts May 4", "thanks again for
    holding the 2025 pricing"."""
    text = " ".join(fold(text).split())
    m = _PASSING.search(text)
    if m and _PASSING_TOPIC.search(text) and not _NEGATED_BEFORE.search(text[:m.start()]) \
            and not _CONDITION_BEFORE.search(text[:m.start()]):
        return "a deal state said in passing as already agreed"
    return None


def _pair(text: str, topic: re.Pattern[str], state: re.Pattern[str]) -> bool:
    """A deal topic and a state of it in ``text``, the state neither negated, nor a prospect,
    nor a label ("Completed: ...", "1. Executed BAA (our template)"), nor their own budget."""
    if not topic.search(text):
        return False
    for m in state.finditer(text):
        label = not re.search(r"[^\W\d_]", text[:m.start()]) \
            and not re.match(r"\s*[:|]", text[m.end():])  # "Completed: ..." is a field
        if _own_budget(text, m) or _NEGATED_BEFORE.search(text[:m.start()]) or label \
                or _MODAL_BEFORE.search(text[:m.start()]) or _LIFTED.search(text[m.end():]):
            continue  # "don't match RouteIQ", "1. Executed BAA (our template)": a label
        return True
    return False


def states(sentence: str, kinds: tuple[str, ...]) -> bool:
    """Whether ``sentence`` states a deal state of one of ``kinds`` (``SIGNED``, ``WON``,
    ``RIVAL_CHOSEN``, ...), whatever else it may also claim: a recorded outcome confirms a
    claim of its own kind ("Martin signed in DocuSign" after a win)."""
    text = " ".join(fold(sentence).split())
    if WON in kinds and _TREAT_AS.search(text):
        return True
    # a record's field or stamp that says it is signed ("Signed today: three-year term"), or
    # only the ink left: a signed deal, of the kind a won outcome confirms
    if SIGNED in kinds and (_INK_ONLY.search(text) or field_state(text) and re.search(
            r"(?<![\w-])(?:signed|countersigned|executed|closed)(?![\w-])", text, _I)):
        return True
    return any(_pair(text, topic, state) for what, topic, state in _COMPILED if what in kinds)


def claimed_line(who: str | None, where: str, text: str = "", *, what: str = "") -> str:
    """A claim shown with its source and marked to confirm, never as a conclusion. Without
    ``text`` (a plan: the note view shows the sentence) only what kind of claim it is."""
    by = f"by {who} " if who else ""
    if not text:
        return (f"Claimed {by}in {where}: {what or 'a changed or settled deal state'}, in the "
                "customer's words and unconfirmed (the note view shows the sentence). Confirm "
                "it on the call before acting on it.")
    about = f" ({what})" if what else ""
    return (f"Claimed {by}in {where}{about}, in the customer's words and unconfirmed: "
            f"“{text}”. Confirm it on the call before acting on it.")


# ---- headline_problem: an objective, advance or fallback is an action or an outcome ---------
_ACTIONS = (
    "accept add address advance agree align answer approve arrange ask attend book bring "
    "brief build capture check choose clarify close co-sign collect commit complete confirm "
    "connect cover decide define deliver demo demonstrate determine discuss document draft "
    "earn engage establish expand explore extend finalise finalize find finish fix follow gain "
    "gather get give go hand have hear hold identify introduce invite involve keep kick land "
    "launch lead learn leave list lock loop make map meet move name nail narrow negotiate "
    "obtain offer open outline own pick pin plan position prepare present price prioritise "
    "prioritize probe propose prove provide put qualify quantify raise reach reconfirm record "
    "request resolve review run say schedule scope secure select send set settle share show "
    "sign sit size start surface take talk tell test tie turn understand uncover update "
    "validate verify walk win work write").split()
_VERB = "|".join(sorted(_ACTIONS, key=len, reverse=True))
_IMPERATIVE = re.compile(rf"^(?:(?:and|then|first|please|also|jointly)\s+)?(?:{_VERB})(?:ing)?"
                         r"(?![\w-])", _I)
_SUBJECT = (r"(?:we|i|you|they|both sides|our team|the (?:buyer|customer|cfo|ceo|coo|cto|cio|"
            r"team|rep|seller|champion|signer|sponsor)|(?!(?-i:The|A|An|This|That|These|Those|"
            r"Our|Their|Its|His|Her|No|All|Both|Every|Each|Any|Some)\b)(?-i:[A-Z][\w'.]*)"
            r"(?: (?-i:[A-Z][\w'.]*))?(?:'s \w+)?)")
_PERSON_ACTS = re.compile(
    rf"^{_SUBJECT}(?:(?:,| and| &) {_SUBJECT}){{0,3}}\s+(?:(?:will|'ll|to|should|must|can|"
    r"could|would|need to|needs to|has to|have to|agrees? to|commits? to|is to|are to|"
    r"then|also|jointly|both)\s+)*"
    rf"(?:{_VERB})(?:s|es)?(?![\w-])", _I)
_GOAL = re.compile(r"^(?:the |our |my |call )?(?:objective|goal|aim|ask|target|fallback|"
                   r"purpose|outcome)(?: of the call| for the call)?(?: is|:)\s*(?:to\s+)?", _I)
_LEAD = re.compile(r"^(?:by the end of (?:the|this) (?:call|meeting),?\s*|by \w+ \d{1,2},?\s*|"
                   r"on the call,?\s*|in the call,?\s*|today,?\s*|to\s+(?=\w))", _I)
_IF = re.compile(r"^\s*(?:if|should|in case|unless|failing that|otherwise)\b"
                 r"(?:[^,;:]|(?<=\d)[,:](?=\d))*[,;:]\s*", _I)  # "$45,000" is no clause end
_OUTCOME_NOUN = re.compile(
    r"^(?:an?|the|one|two|their|his|her|our|a firm|a dated)?\s*(?:[\w'-]+\s+){0,4}?"
    r"(?:call|meeting|workshop|session|demo|date|trial|commitment|agreement to|decision on|"
    r"introduction|intro|walk-?through|kickoff|kick-off|visit|next step|go/no-go|yes|"
    r"signature date|start date|answer|answers|review of|list of|scope|plan for|owner|"
    r"confirmation|sign-off on|approval of|time|slot|follow-up|follow up|working session)\b", _I)
_FINITE = re.compile(r"\b(?:is|are|was|were|has been|have been|had been|been|remains|stays)\b",
                     _I)
_COPULA_NEXT = re.compile(r"^\s+(?:is|are|was|were|has|have|had|been|remains|stays)\b", _I)
_NONE = re.compile(r"^\W*(?:no|none|nothing|n/a)\b", _I)


def _action(line: str) -> bool:
    text = _GOAL.sub("", line.strip(" -*•\t\"“”'")).strip()
    text = _LEAD.sub("", text, count=1).strip()
    if not text:
        return False
    for m in (_IMPERATIVE.match(text), _PERSON_ACTS.match(text)):
        # "Security review is no longer required": a noun, not a verb, when a copula follows
        if m and not _COPULA_NEXT.match(text[m.end():]):
            return True
    return bool(_OUTCOME_NOUN.match(text)) and not _FINITE.search(text) and not settles(text)


def headline_problem(line: str) -> str | None:
    """Why ``line`` (a model's objective, advance or fallback) is not an action or an outcome
    for the call, or None when it is one.

    A fallback's "If Dana will not commit today, ..." is read by what follows it; every
    ";"-clause must be an action or an outcome ("Ask Dana ...; $31 applies to both years" is
    refused for its second half)."""
    text = " ".join(fold(line).split())
    if not text:
        return None
    if _NONE.match(text):
        return "it says there is nothing to do"
    rest = _IF.sub("", text, count=1)
    if rest != text and not rest.strip():
        return None  # an "if ..." cut short: nothing to read (the cut check handles it)
    if rest == text and re.match(r"^\s*(?:if|should|unless)\b", text, _I):
        return None  # only the condition, cut off: the cut check handles it
    first, *others = [c.strip() for c in rest.split(";")]
    if not _action(first) or any(c and settles(c) and not _action(c) for c in others):
        return "it states where the deal stands, not an action or an outcome for the call"
    return None


# ---- commercial: a term of our deal, by what the sentence carries (set 13) --------------------
# Not a state word: a sentence is a commercial term when it carries a figure of our deal (a
# money figure or a percentage next to a price, a discount, a fee, a term, an order or an
# approval of ours), a person in a signing, approving or contact role whom the account's
# known people do not include, bank details, or a date of the deal's own paper (the contract,
# the signature, the PO, the award). Said only by the customer (a pasted e-mail, a document,
# a card, a customer's turn) it is their claim: quoted with its source, never the objective,
# the ask, a buyer's stake, a fact, a metric or a next step, unless our own note or turn
# states the same figure or person (``figures``). What stays theirs: their own budget as
# they state it (not a budget said to have changed: "revised", "cut", "came down", "not the
# ... we had"), their counts and their own metrics (a figure with no term of ours), their
# timeline (a date with no paper of ours), and who signs when that person is known.
_NUM_WORD = (r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
             r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
             r"sixty|seventy|eighty|ninety|hundred)")
_SPOKEN_NUM = rf"{_NUM_WORD}(?:[- ](?:and[- ])?{_NUM_WORD}){{0,3}}"
_PERCENT = re.compile(rf"(?:\d+(?:[.,]\d+)?|\b{_SPOKEN_NUM})\s?(?:%|percent\b|per ?cent\b|pct\b)",
                      _I)
_MONEY = re.compile(
    r"[$€£¥₹]\s?\d|\b(?:usd|eur|gbp|chf|cad|aud|sek|nok|dkk)\s?\d[\d,.]*"
    r"|\b\d[\d,.]*\s?(?:k|m|mm|bn|usd|eur|gbp|chf|dollars?|euros?|pounds?|grand|bucks)\b"
    rf"|\b{_SPOKEN_NUM}\s(?:thousand |million )?(?:dollars?|euros?|pounds?|grand|bucks|quid|k)\b"
    # a figure said as people say money: "two-ten", "three-sixty" (thousands, in context)
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine)-(?:ten|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|eleven|twelve|fifteen|o-\w+)\b"
    # a unit price, however the figure was written ("twenty-six a van" is read "26 a van")
    r"|\b\d[\d,.]*\s?(?:a|an|per|each|/)[- ]?(?:van|vehicle|truck|unit|seat|user|licen[cs]e|"
    r"device|driver|tractor|trailer|site|asset)\b", _I)
# the terms of our deal a figure can be about (not their metrics: "fuel spend", "30% of routes")
_TERM_NOUN = re.compile(
    r"(?<![\w-])(?:pric(?:e|es|ing|ed)|discount\w*|(?:off|under|below|above|from|at) list|"
    r"list price|rates?|rate card|fees?|quote[ds]?|quotation|(?<!in )terms?(?! of)|"
    r"year (?:one|two|three|1|2|3)|first year|yr ?[123]|"
    r"per[- ](?:vehicle|van|truck|unit|seat|user|licen[cs]e|device|site|driver|asset|tractor|"
    r"trailer)|/(?:vehicle|van|truck|unit|seat|user)\b|"
    r"(?<=\d )(?:a|an|each) (?:vehicle|van|truck|unit|seat|user|licen[cs]e|device|driver)|"
    r"incentives?|"
    r"contract(?:s|ed)?|deal|subscription|licen[cs](?:e|es|ing)|renewal|order forms?|"
    r"purchase orders?|po|requisition|payments?|deposit|approv(?:al|als|ed|es)|"
    r"signed|sign-?off|signed off|concessions?|rebates?|tcv|acv|arr|mrr|"
    r"total contract value|deal size|install(?:ation)? fees?|set-?up fees?|"
    r"onboarding fees?|price ?point|unit price|commit(?:ment|ted)?)(?![\w-])", _I)
# what a customer's own money is ("our budget", "the board approved $65k for the pilot")
_OWN_MONEY = re.compile(r"(?<![\w-])(?:budget\w*|funding|funded|capex|opex|spend(?:ing)?|"
                        r"allocat\w+|earmark\w*|board|set aside|capital plan|reserved)(?![\w-])",
                        _I)
# a term of ours beside it: no longer only their budget
_OURS_PRICED = re.compile(
    r"(?<![\w-])(?:pric(?:e|es|ing)|discount\w*|(?:off|under|below) list|rate card|fees?|"
    r"quote[ds]?|per (?:vehicle|van|truck|unit|seat|user|licen[cs]e|device)|"
    r"/(?:vehicle|van|unit|seat|user)\b|contract(?:s|ed)?|purchase orders?|po|invoice[ds]?|"
    r"signed)(?![\w-])", _I)
# a budget said to have moved: a second figure that replaces the first, or a change word
_CHANGED = re.compile(
    r"(?<![\w-])(?:revised|revision|re-?forecast\w*|cut|cuts|reduced|lowered|slashed|trimmed|"
    r"shrunk|shrank|halved|came down|come down|gone down|went down|fell|dropped|increased|"
    r"raised|bumped|topped up|down to|down from|up to|up from|no longer|instead of|not the|"
    r"used to be|we had|variance|re-?baselined|rebased)(?![\w-])", _I)
# an amount said to be revised (not their metric cut by it: "we cut fuel costs by $40k")
_AMOUNT_CHANGED = re.compile(
    r"(?<![\w-])(?:revised|revision|re-?forecast\w*|variance|re-?baselined|down to|down from|"
    r"(?:cut|reduced|lowered|slashed|trimmed|dropped|fell|came down|come down|went down|"
    r"gone down|increased|raised|bumped) (?:it |back )?(?:to|from)|not the [\w$€£,.-]+ we had|"
    r"instead of the|used to be)(?![\w-])", _I)
_SIGN_ROLE = re.compile(
    r"(?<![\w-])(?:signs?(?: (?:for|off on|off|the|it|this|that|anything|everything|all|"
    r"contracts?|the contract|the order))|signer|signatory|signing authority|"
    r"(?:holding|holds|has|have|hold) the pen|(?:primary|main|new|single|sole|only) "
    r"(?:point of )?contact|point of contact|approver|approves (?:anything|everything|all)|"
    r"decision-?maker|economic buyer|budget (?:holder|owner)|sign-?off authority|"
    r"(?:has|have|with) the final say|owns the (?:decision|budget|deal|contract))(?![\w-])",
    _I)
_PERSON = re.compile(r"(?-i:\b[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?(?: [A-Z][a-z]+"
                     r"(?:[-'’][A-Z]?[a-z]+)?)+)\b")
# a role handed over, not described: "from here on it's X", "not me", "X replaces Y"
_HANDOVER = re.compile(r"(?<![\w-])(?:from (?:here|now) on|going forward|as of (?:today|now|"
                       r"monday|this week)|not me|instead(?: of)?|no longer|now|new|takes? over|"
                       r"taking over|took over|replac\w+|hand(?:s|ed|ing)? (?:it |this )?over|"
                       r"steps? (?:in|down)|stepping (?:in|down)|drop(?:ping)? off|loop (?:her|him|"
                       r"them) in)(?![\w-])", _I)
# a value assigned by a command or a record ('primary_contact="Marco Vidal ..."', "signer =")
_ASSIGNED = re.compile(r"\b\w+\s*=\s*[\"'“]?[A-Z]|^\s*/\w+\b|--\w+", _I)
_BANK_DETAIL = re.compile(r"(?<![\w-])(?:iban|swift|bic|aba|routing (?:no\.?|number|#)|"
                          r"sort code|account (?:no\.?|number|#|ending)|acct\.?)(?![\w-])"
                          r"[^.;\n]{0,30}?\d{3,}", _I)
# an order of ours by its number ("Requisition #40817", "purchase request no. 5521")
_ORDER_NUMBER = re.compile(r"(?<![\w-])(?:requisition|req\.?|purchase request|order)\s*"
                           r"(?:#|no\.?|number)\s*:?\s*[A-Z]*-?\d{3,}", _I)
_PAPER_DATE = re.compile(
    r"(?<![\w-])(?:contract|signature|signing|countersignature|purchase order|po|award|"
    r"order form|close|closing|renewal)(?: date)?\b[^.;\n]{0,40}?"
    r"\b(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|"
    r"dec)[a-z]*\.? \d{1,2}\b|\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|"
    r"dec)[a-z]*)", _I)
# what keeps a figure theirs: their rule or policy ("we require a German-law contract above
# EUR 100k", "over $50,000 purchasing wants three quotes"), what they ask of us ("she wants
# year one under $45,000", "asked me to get this under $120k", "uplift capped at 3%"), what
# they lose ("we lose $9,000 a month", "$14M of price variance we can't chase"), their
# current contract ("our contract is up March 31")
_THEIR_FIGURE = re.compile(
    r"(?:over|above|more than|exceeds?|exceeding|in excess of) (?:[$€£]|a\$|usd|eur|gbp|\d)|"
    r"(?<![\w-])(?:require[sd]?|requirements?|required to|policy|must|thresholds?|"
    r"wants?|wanted|asks?|asked|asking|needs?|would like|looking for|hoping|hopes?|targets?|"
    r"ceiling|not to exceed|capped at|cap (?:it|that|the \w+ )?at|get (?:this|it|that) under|"
    r"lose|losing|lost|miss(?:es|ed)?|wast(?:e|es|ed|ing)|write-?offs?|wrote off|"
    r"can['’]?t (?:chase|recover|collect|see)|costs? us|"
    r"(?:our|their|the) (?:current|existing|incumbent) (?:contract|vendor|provider|supplier)|"
    r"our contract|contract is up|contract (?:ends|expires|runs out))(?![\w-])", _I)
# a condition first: what would happen, not a term ("If I have the certificate by January 6,
# I recommend approval")
_IF_FIRST = re.compile(r"^\W*(?:[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*:\s*)?(?:and |so |but )?"
                       r"(?:if|once|when|unless|assuming|provided)\b", _I)
# a rival's quote: a name we do not know that quotes, charges or costs ("Galley quoted us $290
# per kitchen", "DentaFlow quoted us $49 a seat", "a quote from Tallyworks", "Yieldpoint's
# quote"); our own team or the account's people quoting is no rival's
_QUOTER = re.compile(
    r"(?-i:\b([A-Z][\w&.-]+(?: [A-Z][\w&.-]+)?))(?:['’]s)? (?:quoted|quotes|quote|offered|"
    r"offers|offer|charges|charged|costs|is charging)\b"
    r"|\b(?:quote|offer|pricing|proposal) from (?-i:([A-Z][\w&.-]+))"
    r"|\b(?:on|with|plays? with|using) (?-i:([A-Z][\w&.-]+))\b[^.;]{0,80}\bcosts?\b"
    # a third party's figure as the customer reports it: to us they say "you"
    r"|\b(they)(?: (?:said|quoted|offered|charge|charged|came in at|are at|were at))\b", _I)
_NOT_NAMES = frozenset("the a an our your their this that it we he she i you".split())


# a named third party's price said as what it is ("DentaFlow is $49 a seat"): a rival's, once
# the figure reads as one ("forty-nine a seat"); not our price named by what it is ("Year one
# is $24k", "Price is $26", "That is $49")
_NAMED_PRICE = re.compile(r"(?-i:\b([A-Z][\w&.-]+))\s+(?:is|are|was|were|comes in at|came in at|"
                          r"sits at|runs)\s+(?=[$€£]|\d)")
_NOT_A_RIVAL = frozenset("year total list net cost costs fee fees rate price pricing quote "
                         "discount everything which what ours yours seat licence license "
                         "renewal contract deal offer budget".split())


def _rival_quote(text: str, known: tuple[str, ...]) -> bool:
    known_words = {w.casefold() for k in known for w in k.split() if len(w) >= 2}
    for m in _QUOTER.finditer(text):
        words = {w.casefold() for w in next(g for g in m.groups() if g).split()}
        if not words & (known_words | _NOT_NAMES):
            return True
    for m in _NAMED_PRICE.finditer(text):
        name = m.group(1).casefold()
        if name not in known_words | _NOT_NAMES | _NOT_A_NAME | _NOT_A_RIVAL \
                and not _TERM_NOUN.fullmatch(m.group(1)):
            return True
    return False


# a percentage said as a cut of our price ("17% off", "twelve percent discount"): a discount
_PERCENT_OFF = re.compile(rf"(?:\d+(?:[.,]\d+)?|\b{_SPOKEN_NUM})\s?(?:%|percent\b|per ?cent\b|"
                          r"pct\b)\s*(?:off|discount|rebate|concession)\b", _I)


def figures(text: str) -> set[str]:
    """The figures ``text`` carries, however written (``numbers.figures`` of the folded text:
    "1,150", "one thousand one hundred and fifty" and "١٬١٥٠" are all "1150"): what ours and
    theirs share."""
    return _values(fold(text))


def our_figures(texts: list[str] | tuple[str, ...], *, money_only: bool = False) -> set[str]:
    """The figures our own words state (our notes outside their customer parts, our seller's
    turns), however written; ``money_only``: only money amounts and percentages."""
    return set().union(*((priced if money_only else _values)(fold(t)) for t in texts))


def ours_only(text: str, ours: set[str], *, money_only: bool = False) -> bool:
    """The one "our figures" test of both workflows: ``text`` carries figures (``money_only``:
    money or percentages) and every one is among ``ours`` (``our_figures``), so a customer's
    term with only those figures is ours as well, not their claim."""
    return only_ours(fold(text), ours, money_only=money_only)


def _unknown_people(text: str, known: tuple[str, ...]) -> list[str]:
    names = [m.group(0) for m in _PERSON.finditer(text)]
    known_words = {w.casefold() for k in known for w in k.split() if len(w) >= 2}
    return [n for n in names if not {w.casefold() for w in n.split()} & known_words]


def commercial(sentence: str, known: tuple[str, ...] | None = None, *,
               in_document: bool = False) -> str | None:
    """The term of our deal ``sentence`` carries, or a settled state it names with no figure
    and no state word (``oblique``); a run-on line (``clauses``) is read clause by clause too.
    See ``_commercial``."""
    found = _commercial(sentence, known, in_document=in_document)
    if found is None:
        for part in clauses(sentence):
            if (found := _commercial(part, known, in_document=in_document)) is not None:
                break
    return found if found is not None else oblique(sentence, known)


def _commercial(sentence: str, known: tuple[str, ...] | None = None, *,
                in_document: bool = False) -> str | None:
    """The term of our deal ``sentence`` carries (see above), in words, or None. ``known``:
    the account's people our records know (the meeting's buyers, the note's contacts, the
    call's speakers); a signing or contact role handed to someone else (in a record, a
    command's assignment, or as a handover: "from here on", "not me", "instead of") is a
    claim; a customer saying who signs on their side ("our COO signs anything above $100k")
    is not. None: no roster, so no role is read. The figures are read however they are
    written (``numbers.numerals``: "twenty-six a van" is "26 a van")."""
    text = numerals(" ".join(fold(sentence).split()))
    if not text:
        return None
    if _BANK_DETAIL.search(text):
        return "bank details"
    if _ORDER_NUMBER.search(text):
        return "an order or requisition of our deal, by its number"
    figure = _PERCENT.search(text) or _MONEY.search(text)
    if figure and (_THEIR_FIGURE.search(text) or _IF_FIRST.match(text)
                   or _rival_quote(text, known or ())):
        figure = None  # their own rule, ask, loss or current contract; a rival's quote
    if figure and (_TERM_NOUN.search(text) or _PERCENT_OFF.search(text)):
        own = _OWN_MONEY.search(text) and not _PERCENT.search(text) \
            and not _OURS_PRICED.search(text)
        if not own or _CHANGED.search(text):
            return ("a budget said to have changed" if own else
                    "a price, discount or term of our deal")
    elif figure and (_OWN_MONEY.search(text) and _CHANGED.search(text)
                     or _MONEY.search(text) and _AMOUNT_CHANGED.search(text)):
        return "a budget said to have changed"
    if known is not None and _SIGN_ROLE.search(text) and _unknown_people(text, known) \
            and (in_document or _HANDOVER.search(text) or _ASSIGNED.search(text)):
        return "a signer or contact our records do not name"
    if _PAPER_DATE.search(text) and not _THEIR_FIGURE.search(text) \
            and not re.search(r"\b(?:target|aim|hope|plan|want|would like|expect|by|before)\b",
                              text, _I):
        return "a date of the deal's paper"
    return None


def claim_of(sentence: str, rivals: tuple[str, ...] = (), *, in_document: bool = False,
             known: tuple[str, ...] | None = None) -> str | None:
    """What a customer's ``sentence`` claims: a changed or settled deal state (``settles``)
    or a term of our deal (``commercial``); None when it is neither, or a rival's deal."""
    found = settles(sentence, rivals, in_document=in_document)
    if found is not None:
        return found
    text = " ".join(fold(sentence).split())
    if _rivals_deal(text, rivals):
        return None
    if in_document and _topic_field(text):
        return "a record's field stating the deal"
    return commercial(sentence, known, in_document=in_document)


_ASKED_VALUE = re.compile(r"\?|(?<![\w-])(?:please|provide|describe|confirm whether|tbd|"
                          r"to be (?:confirmed|agreed|decided))(?![\w-])", _I)


def _topic_field(text: str) -> bool:
    """A document's field whose key is a deal topic ("Legal: vendor paper OK as-is", "Status:
    Ready to sign"), whatever its value says, unless the value is open or asks something:
    in a pasted record, the record is a third party's word on our deal."""
    for key, value in _fields(text):
        last = " ".join(key.split()[-2:])
        if value and _TOPIC_KEY.search(last) and not _WANTED_KEY.search(key) \
                and not _OPEN_VALUE.match(value) and not _ASKED_VALUE.search(value) \
                and not _TALKING.search(value) \
                and not _SPEECH_KEY.search(key):
            return True
    return False
