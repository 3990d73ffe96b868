"""The ``huddle`` command line, a face over the assistant (``python -m cli`` runs it).

``main`` lives in :mod:`cli.main`; importing this package loads nothing heavy.
"""
