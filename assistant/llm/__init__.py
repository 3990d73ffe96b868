"""The LLM layer: the embedded local model and the one gateway every model call goes through.

- ``errors``: typed failures (invalid output after repairs, timeout, unavailable, local-only).
- ``local_model``: assembles, verifies and runs the bundled GGUF in-process (no litellm).
- ``gateway``: the only module in Huddle that imports litellm (structured output, repairs,
  cache, cost accounting, local-only enforcement).

Importing this package is cheap: litellm and xllamacpp are imported on first use.
"""
