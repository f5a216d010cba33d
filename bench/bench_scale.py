"""Scale-out benchmark: `coach serve` with N workers on SQLite or PostgreSQL, measured two ways.

python -m bench.bench_scale closed [--levels 8,32,64] [--seconds 20] [--workers 1,2] [--db sqlite,postgres]
                                   [--batching off,on]                         # turns/s and p95, no think time
python -m bench.bench_scale open [--workers 1,2] [--db sqlite,postgres]         # people served at p95 ≤ 500 ms

closed: closed-loop throughput (no think time) per level of concurrent sessions, as `bench.bench_http`, for each
        worker count, database and batching setting asked for (off: COACH_EMBEDDING__BATCH_WINDOW_MS=0; on: 3 ms).
open:   realistic people: each starts a conversation (output, outcome, baseline — fresh text, as bench_http),
        thinks 10–20 s (uniform) before every message, and starts a new conversation after the third. Steps of
        more people (×1.8 while p95 < 250 ms, then ×1.25) run until p95 > 500 ms or an error; the answer is the largest step that held.
        Each step: people join spread over the first 10 s, then 45 s are measured.

PostgreSQL comes from COACH_BENCH_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test; a
schema of its own, dropped afterwards). The load comes from a second process on loopback; every process shares
the same CPUs, so each figure is printed with the 1-minute load average. Results: bench/results/scale.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from bench.bench_http import (
    REPO,
    Server,
    conversation,
    level_figures,
    proc_cpu_seconds,
    run_load,
    run_prepare,
    server_env,
)
from bench.common import load_avg, log, percentile, temp_dir

RESULTS = REPO / "bench" / "results" / "scale.json"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
P95_GOAL_MS = 500.0
THINK = (10.0, 20.0)
RAMP_S = 10.0
MEASURE_S = 45.0


class ScaleServer(Server):
    """`coach serve --workers N` with extra settings (database, Redis, batching window)."""

    def __init__(self, data_dir: Path, workers: int, env: dict[str, str]) -> None:
        super().__init__(data_dir)
        self.workers, self.extra = workers, env
        self.port = port_in_range()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        exe = Path(sys.executable).with_name("coach")
        cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers)]
        env = {**server_env(self.data_dir), **self.extra}
        with open(self.log_path, "wb") as logf:
            self.proc = subprocess.Popen(
                cmd, cwd=self.data_dir, env=env, stdout=logf, stderr=subprocess.STDOUT, start_new_session=True
            )

    def cpu_seconds(self) -> float:
        """The server's CPU time, parent and workers."""
        assert self.proc is not None
        total = proc_cpu_seconds(self.proc.pid) or 0.0
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        except OSError:
            children = []
        return total + sum(proc_cpu_seconds(int(c)) or 0.0 for c in children)


def port_in_range(start: int = 8600, stop: int = 8650) -> int:
    """A free port among 8600–8649 (the range this benchmark may bind on a shared machine)."""
    for port in range(start, stop):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {start}-{stop}")


def pg_schema(base: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"coach_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return schema, make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)


def drop_schema(base: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


# ----- open loop: people with think time -------------------------------------------------------------------
async def _people(url: str, people: int, ramp: float, measure: float, first: int, seed: int) -> dict[str, Any]:
    import httpx

    rng = random.Random(seed)
    lat: list[float] = []
    errors: Counter[str] = Counter()
    samples: list[str] = []
    start = time.perf_counter()
    t_measure, t_end = start + ramp, start + ramp + measure
    limits = httpx.Limits(max_connections=people + 8, max_keepalive_connections=people + 8)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60.0, trust_env=False) as client:

        async def person(k: int) -> None:
            await asyncio.sleep(rng.uniform(0, ramp))
            n = first + k * 1000
            while time.perf_counter() < t_end:
                try:
                    r = await client.post("/v1/sessions", json={"mode": "coach"})
                    sid = r.json()["id"]
                except Exception as exc:
                    errors[f"create:{type(exc).__name__}"] += 1
                    return
                for text in conversation(n):
                    await asyncio.sleep(rng.uniform(*THINK))
                    if time.perf_counter() >= t_end:
                        return
                    t0 = time.perf_counter()
                    try:
                        r = await client.post(f"/v1/sessions/{sid}/messages", json={"text": text})
                        ok = r.status_code == 200
                        why = str(r.status_code)
                    except Exception as exc:
                        ok, why = False, type(exc).__name__
                    t1 = time.perf_counter()
                    if t0 >= t_measure:
                        if ok:
                            lat.append(t1 - t0)
                        else:
                            errors[why] += 1
                            if len(samples) < 5:
                                samples.append(why)
                    if not ok:
                        break
                n += 1

        await asyncio.gather(*(person(k) for k in range(people)))
    ms = [x * 1000 for x in lat]
    return {
        "people": people,
        "turns": len(ms),
        "turns_per_s": round(len(ms) / measure, 2),
        "p50_ms": round(percentile(ms, 50), 1) if ms else None,
        "p95_ms": round(percentile(ms, 95), 1) if ms else None,
        "p99_ms": round(percentile(ms, 99), 1) if ms else None,
        "errors": dict(errors),
        "error_samples": samples,
    }


def run_people(url: str, people: int, first: int, out: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.bench_scale", "_people", "--url", url, "--people", str(people),
           "--first", str(first), "--out", str(out)]  # fmt: skip
    subprocess.run(cmd, cwd=REPO, check=True, timeout=RAMP_S + MEASURE_S + 200)
    return json.loads(out.read_text("utf-8"))  # type: ignore[no-any-return]


def open_loop(data_dir: Path, workers: int, db: str, start_people: int, tmp: Path) -> dict[str, Any]:
    extra: dict[str, str] = {}
    schema = None
    base = os.environ.get("COACH_BENCH_DATABASE_URL", PG_DEFAULT)
    if db == "postgres":
        schema, url = pg_schema(base)
        extra["COACH_DATABASE_URL"] = url
    server = ScaleServer(data_dir, workers, extra)
    steps: list[dict[str, Any]] = []
    try:
        server.start()
        server.wait_ready()
        run_load(server.url, 4, 5.0, 900_000, tmp / "warm.json")  # warm every worker
        people, best = start_people, 0
        while True:
            log(f"open loop: {workers} worker(s), {db}, {people} people")
            res = run_people(server.url, people, 1_000_000 * (len(steps) + 1), tmp / f"open-{people}.json")
            res["load_1m"] = load_avg()
            steps.append(res)
            log(
                f"  p95 {res['p95_ms']} ms, {res['turns_per_s']} turns/s, errors {res['errors']}, load {res['load_1m']}"
            )
            held = not res["errors"] and res["p95_ms"] is not None and res["p95_ms"] <= P95_GOAL_MS
            if not held:
                break
            best = people
            # far from the goal: big steps; near it: small ones
            people = int(people * (1.8 if res["p95_ms"] < 0.5 * P95_GOAL_MS else 1.25))
    finally:
        server.stop()
        if schema:
            drop_schema(base, schema)
    return {"workers": workers, "db": db, "max_people_p95_500ms": best, "steps": steps}


def closed_loop(
    data_dir: Path, levels: list[int], seconds: float, tmp: Path, configs: list[tuple[int, str, str]]
) -> dict[str, Any]:
    """Per (workers, database, batching window in ms): turns/s and latency at each level of sessions."""
    out: dict[str, Any] = {}
    base = os.environ.get("COACH_BENCH_DATABASE_URL", PG_DEFAULT)
    for n_cfg, (workers, db, window) in enumerate(configs):
        label = f"{workers} worker(s), {db}, batching {'off' if window == '0' else 'on (' + window + ' ms)'}"
        extra, schema = {"COACH_EMBEDDING__BATCH_WINDOW_MS": window}, None
        if db == "postgres":
            schema, extra["COACH_DATABASE_URL"] = pg_schema(base)
        server = ScaleServer(data_dir, workers, extra)
        rows = []
        try:
            server.start()
            server.wait_ready()
            run_load(server.url, 4 * workers, 5.0, 900_000, tmp / "warm.json")  # warm every worker
            for i, n in enumerate(levels):
                cpu0, w0 = server.cpu_seconds(), time.perf_counter()
                res = run_load(server.url, n, seconds, 6_000 * (i + 1) + 200_000 * n_cfg, tmp / f"closed-{n}.json")
                cpu = 100.0 * (server.cpu_seconds() - cpu0) / (time.perf_counter() - w0)
                _, detail = level_figures(res, cpu)
                row = {"sessions": n, "turns_per_s": detail["turns_per_s"], **detail["turns"],
                       "errors": sum(res["errors"].values()) + sum(res["create_errors"].values()),
                       "server_cpu_pct": round(cpu), "load_1m": load_avg()}  # fmt: skip
                log(f"  {label}, {n} sessions: {json.dumps(row)}")
                rows.append(row)
        finally:
            server.stop()
            if schema:
                drop_schema(base, schema)
        out[label] = rows
    return out


def closed_configs(workers: str, dbs: str, batching: str) -> list[tuple[int, str, str]]:
    """`--batching off,on` × databases × worker counts, as (workers, db, window ms)."""
    windows = {"off": "0", "on": "3"}
    return [(int(w), db, windows[b]) for db in dbs.split(",") for w in workers.split(",") for b in batching.split(",")]


def save(section: str, result: Any) -> None:
    doc = json.loads(RESULTS.read_text("utf-8")) if RESULTS.exists() else {}
    doc[section] = {"finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "result": result}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(doc, indent=1), "utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["closed", "open", "_people"])
    ap.add_argument("--levels", default="8,32,64")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--batching", default="on", help="closed: off, on or off,on (the 3 ms window)")
    ap.add_argument("--db", default="sqlite,postgres")
    ap.add_argument("--start-people", type=int, default=60)
    ap.add_argument("--data-dir", help="a data dir prepared by an earlier run (skips the ingest)")
    ap.add_argument("--tag", default="", help="save under open_loop_<tag> (a refining run keeps the first)")
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--people", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.mode == "_people":
        res = asyncio.run(_people(args.url, args.people, RAMP_S, MEASURE_S, args.first, seed=args.people))
        Path(args.out).write_text(json.dumps(res), "utf-8")
        return
    with temp_dir() as tmp:
        data_dir = Path(args.data_dir) if args.data_dir else tmp / "data"
        if not args.data_dir:
            data_dir.mkdir()
            log("preparing a fresh data dir (ingest + classifier)")
            run_prepare(data_dir)
        if args.mode == "closed":
            levels = [int(x) for x in args.levels.split(",")]
            configs = closed_configs(args.workers, args.db, args.batching)
            key = f"closed_loop_{args.tag}" if args.tag else "closed_loop"
            save(key, closed_loop(data_dir, levels, args.seconds, tmp, configs))
            return
        results = []
        for db in args.db.split(","):
            for w in (int(x) for x in args.workers.split(",")):
                results.append(open_loop(data_dir, w, db, args.start_people, tmp))
                save(f"open_loop_{args.tag}" if args.tag else "open_loop", results)
        for r in results:
            print(f"{r['workers']} worker(s), {r['db']}: {r['max_people_p95_500ms']} people at p95 ≤ 500 ms")


if __name__ == "__main__":
    main()
