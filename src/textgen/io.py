"""Small file helpers: atomic outputs, hashing, JSON.

Every entry point writes through `atomic_path`, so an interrupted or failing step leaves either
the complete output or nothing at all (never a half-written file a later step could trust).
"""

from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterator

from textgen.errors import TextgenError


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary sibling of `target`; rename it onto `target` only if the block succeeds.

    Works for files and directories alike: the caller decides what to create at the yielded path.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "out.txt") as tmp:
    ...     _ = tmp.write_text("done")
    >>> (d / "out.txt").read_text()
    'done'
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    _remove(tmp)
    remove_orphans(target)
    try:
        yield tmp
        _remove(target)
        os.replace(tmp, target)
    except BaseException as err:
        full = isinstance(err, Exception) and disk_full(target.parent, err)
        _remove(tmp)
        if full:
            raise TextgenError(f"{target}: could not be written, {full}; {FULL_DISK_ADVICE}") from err
        raise


def remove_orphans(target: str | os.PathLike) -> list[Path]:
    """Remove the temporary siblings of `target` whose writer process is gone (a SIGKILL, or a
    machine that went down, leaves them); a sibling of a live process is left to it.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / ".out.txt.tmp-999999999").write_text("half")  # no such process
    4
    >>> [p.name for p in remove_orphans(d / "out.txt")], sorted(p.name for p in d.iterdir())
    (['.out.txt.tmp-999999999'], [])
    """
    target = Path(target)
    removed = []
    for stray in target.parent.glob(f".{target.name}.tmp-*"):
        pid = stray.name.rsplit("-", 1)[1]
        if pid.isdigit() and not alive(int(pid)):
            _remove(stray)
            removed.append(stray)
    return removed


def alive(pid: int) -> bool:
    """Whether a process `pid` runs on this machine (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def disk_full(folder: Path, err: BaseException) -> str | None:
    """Why writing into `folder` failed if the disk is full (torch reports a full disk as a
    RuntimeError of its zip writer, so the free space is checked too), else None.

    >>> import errno, tempfile
    >>> disk_full(Path(tempfile.gettempdir()), OSError(errno.ENOSPC, "No space left on device"))
    'no space left on the device that holds it'
    >>> disk_full(Path(tempfile.gettempdir()), ValueError("bad value")) is None
    True
    """
    chain = err
    while chain is not None:
        if isinstance(chain, OSError) and chain.errno in (errno.ENOSPC, errno.EDQUOT):
            return "no space left on the device that holds it" if chain.errno == errno.ENOSPC else "the disk quota is used up"
        chain = chain.__cause__ or chain.__context__
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return None
    return f"the disk that holds it is full ({free:,} bytes free)" if free < FULL_BELOW else None


FULL_BELOW = 1 << 20  # bytes free at the moment a write failed that count as a full disk
FULL_DISK_ADVICE = "free space, then rerun (finished work and checkpoints are kept)"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def write_json(path: str | os.PathLike, obj: Any) -> None:
    """Write `obj` as stable, sorted, indented JSON (atomically), so reruns give identical bytes."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def write_csv(path: str | os.PathLike, rows: list[dict[str, Any]], fields: tuple[str, ...] | None = None) -> None:
    """Write dict rows as CSV with a header: `fields`, or the first row's keys.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "t.csv"
    >>> write_csv(path, [{"run": "a", "loss": 1.5}]); path.read_text().splitlines()
    ['run,loss', 'a,1.5']
    """
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields or list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def read_json(path: str | os.PathLike) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))
