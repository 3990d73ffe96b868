"""Real servers for the team-mode tests: a PostgreSQL cluster and a Chroma server on loopback.

:class:`PostgresCluster` runs Debian's PostgreSQL binaries (``initdb``, ``pg_ctl``): a
temporary cluster on a free loopback port (and a unix socket in its own folder), password
authentication (so URLs carry a password, as a team's do), ``fsync`` off. ``initdb`` refuses
to run as root, so as root the cluster belongs to the ``postgres`` user (or ``nobody``) and
its programs run through ``runuser``. Missing binaries are a failure that says what to
install, never a skip: CI (``.ci/run``) installs them.

:class:`ChromaServer` runs ``chroma run`` (it ships with chromadb) on a free port.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PASSWORD = "s3cret-" + secrets.token_hex(4)
USER = "huddle"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: ``HUDDLE_PG_BIN``, Debian's versioned folder, or PATH."""
    explicit = os.environ.get("HUDDLE_PG_BIN")
    candidates = [explicit] if explicit else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                         key=lambda p: int(Path(p).parent.name) if Path(p).parent.name
                         .isdigit() else 0, reverse=True)
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(str(Path(found).parent))
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


MISSING = ("PostgreSQL server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/"
           "*/bin or on PATH. The team-mode tests need a real PostgreSQL: install it "
           "(Debian/Ubuntu: `apt-get install -y postgresql`; .ci/run does this) or point "
           "HUDDLE_PG_BIN at the folder holding initdb and pg_ctl.")


class PostgresCluster:
    def __init__(self) -> None:
        bindir = pg_bin_dir()
        if bindir is None:
            raise RuntimeError(MISSING)
        self.bin = bindir
        self.root = Path(tempfile.mkdtemp(prefix="huddle-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.owner: str | None = None
        if os.geteuid() == 0:  # initdb refuses root: run the cluster as another user
            for name in ("postgres", "nobody"):
                with contextlib.suppress(KeyError):
                    pw = pwd.getpwnam(name)
                    self.owner = name
                    os.chown(self.root, pw.pw_uid, pw.pw_gid)
                    break
            if self.owner is None:
                raise RuntimeError("running as root and there is no 'postgres' or 'nobody' "
                                   "user to run PostgreSQL as (initdb refuses root)")
        os.chmod(self.root, 0o700)

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.owner:
            cmd = ["runuser", "-u", self.owner, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              check=False, cwd=self.root)

    def start(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self.owner:
            pw = pwd.getpwnam(self.owner)
            os.chown(pwfile, pw.pw_uid, pw.pw_gid)
        out = self._run("initdb", "-D", str(self.data), "-U", USER, "--pwfile", str(pwfile),
                        "--auth=scram-sha-256", "--locale=C", "-E", "UTF8")
        if out.returncode != 0:
            raise RuntimeError(f"initdb failed: {out.stdout}\n{out.stderr}")
        opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        out = self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l",
                        str(self.root / "log"), "-w", "-t", "60", "start")
        if out.returncode != 0:
            log = (self.root / "log").read_text() if (self.root / "log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {out.stdout}\n{out.stderr}\n{log}")

    def url(self, db: str = "postgres", *, password: str = PASSWORD) -> str:
        return f"postgresql://{USER}:{password}@127.0.0.1:{self.port}/{db}"

    def create_database(self) -> str:
        import psycopg

        name = "t_" + secrets.token_hex(6)
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return name

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


class ChromaServer:
    """``chroma run --path TMP --host 127.0.0.1 --port FREE``, waited for until it answers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        exe = Path(sys.executable).parent / "chroma"
        if not exe.exists():
            raise RuntimeError(f"the chroma server command is missing ({exe}): it ships with "
                               "the chromadb package (pip install chromadb)")
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        self.log = (path.parent / f"chroma-{self.port}.log").open("wb")
        self.proc = subprocess.Popen(
            [str(exe), "run", "--path", str(path), "--host", "127.0.0.1", "--port",
             str(self.port)], stdout=self.log, stderr=subprocess.STDOUT, env=env)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"chroma run did not answer on {self.url} in {timeout} s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
