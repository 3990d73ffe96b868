"""Alembic migration streams: ``records`` (huddle.db's tables) and ``ledger`` (the ICP
ledger's). They run when a store opens (:func:`knowledge.database.migrate`)."""
