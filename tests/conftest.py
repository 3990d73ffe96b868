"""Shared fixtures. Fakes live beside the tests (tests/fakes.py), never in the product."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
DEMO_KB = ROOT / "knowledge" / "demo"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


@pytest.fixture(autouse=True)
def _isolated_config(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """No test reads the developer's config file or environment overrides."""
    cfg = tmp_path_factory.getbasetemp() / "no-config.toml"
    monkeypatch.setenv("HUDDLE_CONFIG", str(cfg))
    for name in list(os.environ):
        if name.startswith("HUDDLE_") and name != "HUDDLE_CONFIG":
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
def small_kb(tmp_path: Path) -> Path:
    """A private, writable copy of the small fixture KB."""
    dest = tmp_path / "kb"
    shutil.copytree(DATA / "kb_small", dest)
    return dest


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo KB ingested once for the whole session (read-only use)."""
    from knowledge.ingest import ingest

    data_dir = tmp_path_factory.mktemp("demo-data")
    ingest(DEMO_KB, data_dir)
    return data_dir
