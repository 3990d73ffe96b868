"""After the call: the reflect workflow, its models, checks and writes.

- ``models``: the ``Reflection`` and the items a person confirms; the model's draft schemas.
- ``extract``: deterministic reading of the transcript (quarantine, hints, facts by code).
- ``validate``: every quote, speaker, stage, attribute and plan item checked by code.
- ``graph``: ``build_reflect_graph()`` — langgraph, with a human checkpoint before writes.
- ``writes``: the note and the ``account.yaml`` edits a confirmed reflection makes.
- ``store``: reflection runs and their write log in ``huddle.db``.
- ``service``: ``Reflections`` — start, resume, list (what ``Huddle.reflections`` returns).
- ``outcomes``: deal outcomes into the ICP ledger and an account's ICP fit with evidence.

Import the submodules you need; this package imports nothing heavy itself.
"""
