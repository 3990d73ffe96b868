"""Real-model plans and reflections through the answer's claim check: a measurement, not a
test (this file is not named ``test_*.py``).

Each rendered plan (``<kb>-<account>-<kind>.v1.md``) gives its model-written lines (the
objective, the advance and the fallback); each reflection (``*.reflection.md``) its lesson
and what worked or did not. Every line goes to ``provenance.unsupported`` with the account's
notes as the evidence; a line it reports is a sentence the answer check would drop. With
``--full`` the whole ``injection.check_answer`` runs instead (its evidence here lacks the
account profile, the team and the meeting, so names and dates it reports are not drops).

    python tests/data/injection/answer_check_plans.py /tmp/u5/plans /tmp/unseen4-plans

Measured on branch ``injfix9`` (2026-12-07) over the 24 unseen5 (cohortline) and 24 unseen4
(mirepoix) real-model files: 115 model lines, 0 dropped by ``provenance.unsupported``
(0 on main 8fc5bc2 too).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from assistant.injection import check_answer  # noqa: E402
from assistant.provenance import unsupported  # noqa: E402
from knowledge.loader import load_kb  # noqa: E402

_PLAN_LINE = re.compile(r"^- \*\*(Advance \(the ask\)|Fallback):\*\* (.*)$")
_REFLECTION_LINE = re.compile(r"^- (worked|didn't|lesson): (.*)$")


def _kb_path(name: str) -> Path:
    for kb in sorted((ROOT / "evals").glob(f"*/kbs/{name}")):
        return kb
    raise FileNotFoundError(f"no eval KB named {name}")


def model_lines(text: str, reflection: bool) -> list[tuple[str, str]]:
    lines = text.split("\n")
    if reflection:
        return [(m.group(1), m.group(2)) for ln in lines
                if (m := _REFLECTION_LINE.match(ln)) and m.group(2).strip() != "unknown"]
    out = []
    for i, ln in enumerate(lines):
        if ln.strip() == "## Objective":
            out.append(("objective", next(x for x in lines[i + 1:] if x.strip())))
        if m := _PLAN_LINE.match(ln):
            out.append((m.group(1), m.group(2)))
    return out


def main(argv: list[str]) -> int:
    full = "--full" in argv
    kbs: dict[str, object] = {}
    total = dropped = 0
    for folder in [a for a in argv if not a.startswith("--")]:
        for f in sorted(Path(folder).glob("*.md")):
            kb_name, account = f.name.split("-")[:2]
            if kb_name not in kbs:
                kbs[kb_name] = load_kb(_kb_path(kb_name))
            evidence = "\n\n".join(n.body for n in kbs[kb_name].notes_for(account))  # type: ignore[attr-defined]
            for field, line in model_lines(f.read_text(encoding="utf-8"),
                                           ".reflection." in f.name):
                total += 1
                why = check_answer(line, evidence=evidence) if full else \
                    unsupported(line, evidence)
                if why:
                    dropped += 1
                    print(f"{f.name} [{field}] {why}\n    {line[:300]}")
    print(f"lines checked: {total}, dropped: {dropped}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
