"""Start-up failures under `coach serve`: one clear line, and a non-zero exit of the whole server.

uvicorn's supervisor stops (instead of restarting a worker forever) when a worker exits with its
STARTUP_FAILURE code, but it then exits 0 itself, and the worker's traceback says little to an operator. So
`coach serve` names a report file in COACH_STARTUP_REPORT; a worker whose start-up fails writes one line there
and exits with STARTUP_FAILURE, and `coach serve` prints that line and exits non-zero, which a supervisor
(systemd, Kubernetes, Docker's restart policy) sees. Outside `coach serve` (tests, a bare uvicorn) the
exception propagates as before.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from coach.errors import CoachError

log = logging.getLogger(__name__)

REPORT_ENV = "COACH_STARTUP_REPORT"
PARENT_ENV = "COACH_STARTUP_PARENT"  # the pid of `coach serve`
STARTUP_FAILURE = 3  # uvicorn.config.STARTUP_FAILURE


def one_line(exc: BaseException) -> str:
    if isinstance(exc, CoachError):
        text = f"{exc.message} {exc.hint}".strip()
    else:
        first = (str(exc).strip().splitlines() or [""])[0]
        text = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return " ".join(text.split())


def startup_failed(exc: BaseException) -> None:
    """Log the failure in one line; under `coach serve`, report it and end this worker with STARTUP_FAILURE."""
    line = one_line(exc)
    log.error("start-up failed: %s", line)
    report = os.environ.get(REPORT_ENV)
    if not report:
        return
    try:
        if os.environ.get(PARENT_ENV) == str(os.getpid()):  # one worker: uvicorn runs in `coach serve` itself
            Path(report).unlink(missing_ok=True)
        else:
            with Path(report).open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")
    finally:
        logging.shutdown()
        os._exit(STARTUP_FAILURE)


def read_report(path: Path) -> str | None:
    """The first failure a worker reported, if any."""
    try:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    except OSError:
        return None
    return lines[0] if lines else None
