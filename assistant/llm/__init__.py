"""The LLM layer: the embedded local model and the one gateway every model call goes through.

- ``errors``: typed failures (invalid output after repairs, timeout, unavailable, local-only).
- ``local_model``: assembles, verifies and runs the bundled GGUF in-process (no litellm).
- ``gateway``: the :class:`~assistant.llm.gateway.Gateway` every call goes through
  (structured output, repairs, cache, cost accounting, local-only enforcement), built from
  ``privacy``, ``schema``, ``repair`` (with ``salvage``), ``cache``, ``results``,
  ``local_provider`` and ``provider_errors``; it re-exports their public names.
- ``litellm_setup``: the only module in Huddle that imports litellm.

Importing this package is cheap: litellm and xllamacpp are imported on first use.
"""
