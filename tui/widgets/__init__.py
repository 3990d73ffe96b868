"""Widgets the screens share: plan view, source pane, step progress, table formatting."""
