"""Private data stays private: Huddle's data folders are 0700 and its files 0600.

The data directory holds call transcripts (in the workflow checkpoints), plans, the ICP
ledger and the index of the notes. Every opener calls these helpers, which also tighten
folders and files created by an older version (on POSIX; a no-op elsewhere).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it 0700."""
    path.mkdir(parents=True, exist_ok=True)
    _tighten(path, DIR_MODE)
    return path


def private_file(path: Path) -> None:
    """Make an existing file 0600 (and its SQLite ``-wal``/``-shm`` companions)."""
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            _tighten(p, FILE_MODE)


def private_tree(root: Path) -> None:
    """Tighten every folder and file under ``root`` (the vector store, the LLM cache)."""
    if not root.exists():
        return
    _tighten(root, DIR_MODE if root.is_dir() else FILE_MODE)
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            with contextlib.suppress(FileNotFoundError):
                _tighten(Path(dirpath, d), DIR_MODE)
        for f in filenames:
            with contextlib.suppress(FileNotFoundError):
                _tighten(Path(dirpath, f), FILE_MODE)


def _tighten(path: Path, mode: int) -> None:
    if os.name != "posix":
        return
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode):
        return  # never follow a link out of the data folder
    if stat.S_IMODE(st.st_mode) & ~mode:
        with contextlib.suppress(PermissionError):
            os.chmod(path, stat.S_IMODE(st.st_mode) & mode)
