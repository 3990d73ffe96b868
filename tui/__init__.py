"""Huddle's terminal app (Textual): a thin face over the ``assistant`` API.

``tui.app`` is the app (import it: nothing heavy loads until a worker needs it),
``tui.cli`` adds ``huddle tui`` and makes plain ``huddle`` open the app, ``tui.screens``
holds one module per screen, ``tui.widgets`` the reusable pieces, ``tui.messages`` every
message a worker posts back. Nothing imports ``tui``.
"""
