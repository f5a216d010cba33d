"""Work done once across processes: an OS file lock beside an artefact, and atomic writes.

Several workers (or servers sharing a data dir) start at the same moment with no trained model cached. The
first to take the lock builds and writes the artefact under a temporary name of its own, then renames it in
place (atomic on one filesystem); the others wait on the lock and load what it wrote. The OS releases the lock
if its holder dies, so a killed worker never blocks the next start.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

log = logging.getLogger(__name__)

LOCK_TIMEOUT_S = 900.0  # a build (training on a slow, busy machine) is never expected to take this long


@contextlib.contextmanager
def exclusive(path: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold `<path>.lock` for the duration; without a writable folder, go on unlocked (and say so)."""
    from filelock import FileLock, Timeout

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(f"{path}.lock", timeout=timeout)
        lock.acquire()
    except Timeout as exc:
        raise TimeoutError(f"waited {timeout:.0f}s for {path}.lock held by another process") from exc
    except OSError:
        log.warning("cannot lock %s (read-only folder?); building without a lock", path)
        yield
        return
    try:
        yield
    finally:
        lock.release()


def write_atomically(path: Path, write: Callable[[Path], object]) -> bool:
    """`write(tmp)` to a temporary file of this process's own in `path`'s folder, then rename it to `path`.
    Returns False (and leaves nothing behind) when the folder cannot be written: the caller keeps its result
    in memory."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError:
        log.warning("could not cache %s; it stays in memory", path, exc_info=True)
        return False
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, path)
        return True
    except OSError:
        log.warning("could not cache %s; it stays in memory", path, exc_info=True)
        return False
    finally:
        tmp.unlink(missing_ok=True)
