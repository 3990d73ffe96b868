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


# ---- team mode: a real PostgreSQL, a real Chroma server ------------------------------------


@pytest.fixture(scope="session")
def postgres_cluster():
    """A temporary PostgreSQL cluster for the session (tests/servers.py). Fails, never
    skips, when the server binaries are missing."""
    from tests.servers import PostgresCluster

    try:
        cluster = PostgresCluster()
        cluster.start()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield cluster
    from knowledge.database import dispose_engines

    dispose_engines()
    cluster.stop()


@pytest.fixture
def pg_url(postgres_cluster) -> object:
    """A fresh, empty database of the session cluster; its URL (with the password)."""
    from knowledge.database import dispose_engines

    name = postgres_cluster.create_database()
    yield postgres_cluster.url(name)
    dispose_engines()
    postgres_cluster.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """Each record-store test runs twice: embedded SQLite files (None) and PostgreSQL."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """``chroma run`` on a free loopback port for the session; its URL."""
    from tests.servers import ChromaServer

    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "db")
    try:
        server.wait()
    except RuntimeError as exc:
        server.stop()
        pytest.fail(str(exc), pytrace=False)
    yield server.url
    server.stop()
