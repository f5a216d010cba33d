"""Run every benchmark and print one Markdown table of all figures (also saved to bench/results/summary.md).

    python -m bench.run_all                    # everything (about 10–15 minutes on 2 cores)
    python -m bench.run_all --only classifier  # one benchmark
    python -m bench.run_all --summary-only     # rebuild summary.md from the existing results/*.json

Each benchmark runs in its own process, so its peak RSS is its own and one failure does not hide the others.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any

from bench.common import REPO, RESULTS, fmt_value, log

BENCHES = {
    "knowledge": "bench.bench_knowledge",
    "classifier": "bench.bench_classifier",
    "turns": "bench.bench_turns",
    "answers": "bench.bench_answers",
    "measures": "bench.bench_measures",
    "http": "bench.bench_http",
    "cli": "bench.bench_cli",
}
AREAS = {
    "knowledge": "Knowledge",
    "classifier": "Classifier",
    "turns": "Conversation",
    "answers": "Knowledge answers",
    "measures": "Measures",
    "http": "HTTP API",
    "cli": "CLI",
}


def run(name: str) -> bool:
    log(f"running {BENCHES[name]}")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", BENCHES[name]], cwd=REPO)
    log(f"{name}: exit {proc.returncode} after {time.perf_counter() - t0:.0f}s")
    return proc.returncode == 0


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def summary(names: list[str], failed: list[str]) -> str:
    docs: dict[str, dict[str, Any]] = {}
    for name in names:
        path = RESULTS / f"{name}.json"
        if path.exists():
            docs[name] = json.loads(path.read_text("utf-8"))
    lines = ["# Outcome Coach — benchmark results", ""]
    any_doc = next(iter(docs.values()), None)
    if any_doc:
        env = any_doc["environment"]
        lines.append(
            f"Measured {any_doc['finished_at']} on {env.get('cpu_count')} CPUs ({env.get('machine')}), "
            f"Python {env.get('python')}, torch {env.get('torch', '?')} with {env.get('torch_threads', '?')} threads. "
            "Command: `python -m bench.run_all` (or `make bench`)."
        )
        lines.append("")
        for name, doc in docs.items():
            e = doc["environment"]
            lines.append(
                f"- {name}: finished {doc['finished_at']}, {doc['wall_seconds']:.0f} s, "
                f"load average at the end {e.get('load_avg_1m')}"
            )
        lines.append("")
    cpus = (any_doc or {}).get("environment", {}).get("cpu_count") or 1
    busy = [
        f"{n} (load up to {max(d['details'].get('load_avg_1m') or [0])})"
        for n, d in docs.items()
        if max(d["details"].get("load_avg_1m") or [0]) > cpus
    ]
    if busy:
        lines += [
            f"**Caution:** the machine was busy with other work during {', '.join(busy)} on {cpus} CPUs; "
            "absolute timings are inflated and noisy. Ratios measured interleaved (classify / embed) are the "
            "most robust figures; rerun on an idle machine for the README.",
            "",
        ]
    if failed:
        lines += [f"**Failed:** {', '.join(failed)} (see the console output).", ""]
    lines += ["| Area | Figure | Value | Target | Met | Note |", "|---|---|---|---|---|---|"]
    for name, doc in docs.items():
        for f in doc["figures"]:
            met = "" if f["ok"] is None else ("yes" if f["ok"] else "**no**")
            lines.append(
                f"| {AREAS.get(name, name)} | {_cell(f['label'].strip())} | {fmt_value(f['value'], f['unit'])} "
                f"| {_cell(f['target'])} | {met} | {_cell(f['note'])} |"
            )
    clf = docs.get("classifier", {}).get("details", {})
    if clf.get("stages"):
        one = clf.get("stages_openblas_1_thread") or {}
        lines += [
            "",
            "## Where a single classification's non-embedding time goes",
            "",
            "Embeddings cached beforehand, p50 in ms per statement; the right column is a fresh process with "
            "`OPENBLAS_NUM_THREADS=1`. Rows marked [what-if] are alternatives, not what the code does today.",
            "",
            "| Stage | p50 ms | p50 ms, 1 BLAS thread |",
            "|---|---|---|",
        ]
        for stage, lat in clf["stages"].items():
            if stage.startswith("_"):
                continue
            alt = one.get(stage, {}).get("p50_ms")
            label = stage.strip().replace("|", "\\|")
            indent = "&nbsp;" * 2 * (len(stage) - len(stage.lstrip()))
            alt_s = f"{alt:.3f}" if alt is not None else "n/a"
            lines.append(f"| {indent}{label} | {lat['p50_ms']:.3f} | {alt_s} |")
        lines += [
            "",
            "Top cumulative costs under cProfile (same cached path, ms per statement; profiling inflates them):",
            "",
            "| ms | function |",
            "|---|---|",
        ]
        for row in clf.get("profile", {}).get("top_cumulative", [])[:15]:
            lines.append(f"| {row['cum_ms_per_stmt']:.3f} | `{row['where']}` |")
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(BENCHES), action="append", help="run only this benchmark")
    parser.add_argument("--summary-only", action="store_true", help="do not run; summarise existing results")
    args = parser.parse_args(argv)
    names = args.only or list(BENCHES)
    failed: list[str] = []
    if not args.summary_only:
        failed = [n for n in names if not run(n)]
    text = summary(list(BENCHES), failed)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "summary.md").write_text(
        text + f"\n<!-- generated {datetime.now(UTC).isoformat(timespec='seconds')} -->\n", "utf-8"
    )
    print("\n" + text)
    print(f"saved to {(RESULTS / 'summary.md').relative_to(REPO)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
