"""CLI start-up benchmark: how long `coach --help` and the commands that need no model take, as a person runs them.

python -m bench.bench_cli          # writes bench/results/cli.json

Each command runs in a fresh process (`python -m api.cli …`) against a fresh data folder, ROUNDS times; the
figures are the median wall time and the median CPU time of the child (CPU time is what load on a shared
machine inflates least), and, from IMPORT_ROUNDS more runs under `python -X importtime`, the smallest total
import time (the process's own import work, the figure other processes disturb least). Targets (issue 13):
help ≤ 0.25 s, commands that only read the database ≤ 0.5 s, the rest well under a second.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

from bench.common import REPO, Figure, load_avg, load_figure, log, median, print_table, temp_dir, write_results

NAME = "cli"
ROUNDS = 9
IMPORT_ROUNDS = 5
HELP_S, READ_S, OTHER_S = 0.25, 0.5, 1.0
CODE = "{code}"  # the join code of the workshop created before the timed runs

COMMANDS: dict[str, tuple[list[str], float]] = {
    "help": (["--help"], HELP_S),
    "sessions_help": (["sessions", "--help"], HELP_S),
    "export_help": (["export", "--help"], HELP_S),
    "sessions": (["sessions"], READ_S),
    "workshop_list": (["workshop", "list"], READ_S),
    "workshop_export": (["workshop", "export", CODE], READ_S),
    "corrections_list": (["corrections", "list"], READ_S),
    "keys_list": (["keys", "list"], OTHER_S),
    "workshop_create": (["workshop", "create", "--title", "Bench clinic"], OTHER_S),
}


def run(args: list[str], env: dict[str, str], flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, *flags, "-m", "api.cli", *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"coach {' '.join(args)} failed: {proc.stderr[-800:]}")
    return proc


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one `coach …` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    run(args, env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def import_seconds(args: list[str], env: dict[str, str]) -> float:
    """The total import time `python -X importtime` reports for one `coach …` process (top-level imports)."""
    total_us = 0
    for line in run(args, env, ("-X", "importtime")).stderr.splitlines():
        parts = line.split("|")
        # a top-level import (its cumulative time holds its children's); the header line has no digits
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            total_us += int(parts[1])
    return total_us / 1e6


def main() -> list[Figure]:
    started = time.perf_counter()
    figures: list[Figure] = []
    details: dict[str, object] = {"rounds": ROUNDS, "load_avg_1m": []}
    loads: list[float] = []
    with temp_dir() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
        env.update(COACH_DATA_DIR=str(tmp / "data"), PYTHONPATH=str(REPO))
        run_once(["keys", "list"], env)  # creates and migrates the database once, as a first command would
        code = run(["workshop", "create", "--title", "Bench export"], env).stdout.strip()
        for key, (template, target) in COMMANDS.items():
            args = [a.replace(CODE, code) for a in template]
            walls, cpus = [], []
            for _ in range(ROUNDS):
                wall, cpu = run_once(args, env)
                walls.append(wall)
                cpus.append(cpu)
            imports = min(import_seconds(args, env) for _ in range(IMPORT_ROUNDS))
            loads.append(load_avg())
            w, c = median(walls), median(cpus)
            shown = " ".join(template).replace(CODE, "CODE")
            log(f"coach {shown}: median {w:.2f} s wall, {c:.2f} s CPU, imports {imports:.2f} s")
            details[key] = {"wall_s": walls, "cpu_s": cpus, "import_s": imports}
            figures.append(
                Figure(
                    f"{key}_wall_s",
                    f"`coach {shown}`: median wall time (CPU time {c:.2f} s; imports {imports:.2f} s)",
                    round(w, 3),
                    "s",
                    target=f"≤ {target:g} s",
                    ok=w <= target,
                )
            )
    details["load_avg_1m"] = loads
    figures.append(load_figure(loads))
    write_results(NAME, figures, details, started)
    print_table("CLI start-up", figures)
    return figures


if __name__ == "__main__":
    main()
