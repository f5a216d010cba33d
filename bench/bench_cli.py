"""CLI start-up benchmark: how long `coach --help` and the commands that need no model take, as a person runs them.

python -m bench.bench_cli          # writes bench/results/cli.json

Each command runs in a fresh process (`python -m api.cli …`) against a fresh data folder, ROUNDS times; the
figures are the median wall time and the median CPU time of the child (CPU time is what load on a shared
machine inflates least). Target (issue 13): well under a second for help and for commands that need no model.
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
TARGET_S = 1.0

COMMANDS = {
    "help": ["--help"],
    "sessions": ["sessions"],
    "export_help": ["export", "--help"],
    "keys_list": ["keys", "list"],
    "workshop_list": ["workshop", "list"],
    "workshop_create": ["workshop", "create", "--title", "Bench clinic"],
}


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one `coach …` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "api.cli", *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"coach {' '.join(args)} failed: {proc.stderr[-800:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> list[Figure]:
    started = time.perf_counter()
    figures: list[Figure] = []
    details: dict[str, object] = {"rounds": ROUNDS, "load_avg_1m": []}
    loads: list[float] = []
    with temp_dir() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
        env.update(COACH_DATA_DIR=str(tmp / "data"), PYTHONPATH=str(REPO))
        run_once(["keys", "list"], env)  # creates and migrates the database once, as a first command would
        for key, args in COMMANDS.items():
            walls, cpus = [], []
            for _ in range(ROUNDS):
                wall, cpu = run_once(args, env)
                walls.append(wall)
                cpus.append(cpu)
            loads.append(load_avg())
            w, c = median(walls), median(cpus)
            log(f"coach {' '.join(args)}: median {w:.2f} s wall, {c:.2f} s CPU")
            details[key] = {"wall_s": walls, "cpu_s": cpus}
            figures.append(
                Figure(
                    f"{key}_wall_s",
                    f"`coach {' '.join(args)}`: median wall time (CPU time {c:.2f} s)",
                    round(w, 3),
                    "s",
                    target=f"< {TARGET_S:.0f} s",
                    ok=w < TARGET_S,
                )
            )
    details["load_avg_1m"] = loads
    figures.append(load_figure(loads))
    write_results(NAME, figures, details, started)
    print_table("CLI start-up", figures)
    return figures


if __name__ == "__main__":
    main()
