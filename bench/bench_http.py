"""HTTP benchmark: conversation turn latency through the real server at 1, 8 and 32 concurrent sessions.

python -m bench.bench_http          # writes bench/results/http.json (about 3–4 minutes on 2 cores)

Three processes, all on this machine:
  1. a preparation process builds a fresh data dir (temp dir, `build_service`, `ingest()`, the classifier is
     trained and cached), so the server starts as it would after `coach ingest`;
  2. the real server, `coach serve --host 127.0.0.1 --port P`, with COACH_DATA_DIR pointing at that dir
     (SQLite, embedded Chroma, no LLM, keyless loopback dev mode), until GET /readyz answers 200;
  3. per level, a load generator (this module with `--load`: asyncio + httpx) on loopback. Each virtual user
     creates a session and sends a 3-turn conversation — an output statement with fresh text, an outcome
     answer with fresh text, the baseline answer "baseline 12%, target 6% by June" — then starts over with a
     new session, closed loop (no think time), until the level's duration or turn budget is spent.

Latency is measured per message turn (POST /v1/sessions/{id}/messages, JSON reply) from the client side, so it
includes HTTP, JSON and queueing in the server. Percentiles are over the successful (2xx) turns; errors are
counted by status (or exception) separately; a failed turn ends that conversation. Throughput is successful turns
divided by the level's wall time. The per-key rate limit is switched off for the server
(COACH_API__RATE_LIMIT_PER_MINUTE=0): every request comes from 127.0.0.1, one bucket of 120 a minute by
default, and the benchmark measures capacity, not the limiter. The load generator shares the CPUs with the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import (
    KNOWLEDGE,
    REPO,
    Figure,
    build_service,
    load_avg,
    log,
    percentile,
    print_table,
    temp_dir,
    write_results,
)

NAME = "http"
HOST = "127.0.0.1"  # the only address this benchmark ever binds or talks to
LEVELS = (1, 8, 32)
SECONDS_PER_LEVEL = 30.0
MAX_TURNS_PER_LEVEL = 5_000
CONVERSATIONS_PER_LEVEL = 6_000  # numbering: warm-up from 0, level i from 6,000 × (i + 1)
WARMUP_SECONDS = 5.0
REQUEST_TIMEOUT = 60.0
READY_TIMEOUT = 240.0
PREPARE_TIMEOUT = 600.0
BASELINE_ANSWER = "baseline 12%, target 6% by June"
TURN_KINDS = ("output", "outcome", "baseline")

_OUTPUTS = [
    ("Ran", "workshops"),
    ("Held", "training sessions"),
    ("Published", "newsletters"),
    ("Hosted", "webinars"),
    ("Sent out", "onboarding packs"),
    ("Wrote", "knowledge articles"),
    ("Organised", "outreach events"),
    ("Delivered", "mentoring sessions"),
    ("Made", "site visits"),
    ("Carried out", "health checks"),
]
_PEOPLE = [
    "customers",
    "new hires",
    "patients",
    "tenants",
    "volunteers",
    "managers",
    "carers",
    "residents",
    "job seekers",
    "nurses",
    "small businesses",
    "students",
]
_PERIODS = [
    "this quarter",
    "last month",
    "this year",
    "over the summer",
    "in Q3",
    "since January",
    "in the spring",
    "last year",
]
_CHANGES = [  # mostly read as an outcome (the coach then asks for a baseline); details count reply states
    "feel confident using the new system",
    "find what they need on the first try",
    "stay in work",
    "make fewer data-entry errors",
    "keep their tenancy",
    "manage without weekly support",
    "avoid an emergency readmission",
    "pay on time",
]


def conversation(n: int) -> list[str]:
    """Conversation number `n`: an output statement, an outcome answer, the baseline answer.

    `n` is read as mixed-radix digits (change, output, people, number) and the period follows (change, output),
    so both fresh texts are distinct for 192,000 consecutive `n`: no text repeats within a run and the embedder's
    cache never answers, while neighbouring conversations differ in every part.
    """
    r, c = divmod(n, len(_CHANGES))
    r, o = divmod(r, len(_OUTPUTS))
    r, p = divmod(r, len(_PEOPLE))
    num = r % 200
    verb, things = _OUTPUTS[o]
    people = _PEOPLE[p]
    first = f"{verb} {num + 3} {things} for {people} {_PERIODS[(c + o) % len(_PERIODS)]}"
    answer = f"After the {things}, {num + 2} more {people} {_CHANGES[c]}"
    return [first, answer, BASELINE_ANSWER]


# ----- process 1: the data dir ------------------------------------------------------------------------
def prepare(data_dir: Path) -> dict[str, Any]:
    """Index and classifier cache in `data_dir`, as `coach ingest` leaves them (runs in its own process)."""
    t0 = time.perf_counter()
    svc = build_service(data_dir)
    report = svc.ingest()
    t_ingest = time.perf_counter() - t0
    svc.classifier()
    return {
        "ingest_s": round(t_ingest, 1),
        "prepare_s": round(time.perf_counter() - t0, 1),
        "chunks": dict(report.counts),
    }


def run_prepare(data_dir: Path) -> dict[str, Any]:
    out = data_dir / "prepare.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_http", "--prepare", str(data_dir), "--out", str(out)],
        cwd=REPO,
        timeout=PREPARE_TIMEOUT,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"preparing the data dir failed (exit {proc.returncode})")
    return json.loads(out.read_text("utf-8"))  # type: ignore[no-any-return]


# ----- process 2: the server --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def coach_executable() -> Path:
    here = Path(sys.executable).with_name("coach")
    return here if here.exists() else REPO / ".venv" / "bin" / "coach"


def server_env(data_dir: Path) -> dict[str, str]:
    """The caller's environment without COACH_* (but COACH_EMBEDDING__MODEL), pinned like make_settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_") or k == "COACH_EMBEDDING__MODEL"}
    env.update(
        {
            "COACH_DATA_DIR": str(data_dir),
            "COACH_KNOWLEDGE_DIR": str(KNOWLEDGE),
            "COACH_EXTRA_KNOWLEDGE": "[]",
            "COACH_LLM__PROVIDER": "none",
            "COACH_EMBEDDING__BACKEND": "sentence-transformers",
            "COACH_API__RATE_LIMIT_PER_MINUTE": "0",
        }
    )
    return env


class Server:
    """`coach serve` on 127.0.0.1 in its own process; stopped with SIGINT (uvicorn's graceful shutdown)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = data_dir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.exit_code: int | None = None
        self.stopped_cleanly = False

    def start(self) -> None:
        cmd = [str(coach_executable()), "serve", "--host", HOST, "--port", str(self.port)]
        with open(self.log_path, "wb") as logf:
            # cwd = the data dir: no .env of the repository (or of the caller) changes the settings
            self.proc = subprocess.Popen(
                cmd,
                cwd=self.data_dir,
                env=server_env(self.data_dir),
                stdout=logf,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text("utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> dict[str, Any]:
        import httpx

        assert self.proc is not None
        deadline = time.monotonic() + timeout
        last = ""
        with httpx.Client(base_url=self.url, timeout=5.0, trust_env=False) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.log_tail()}")
                try:
                    r = client.get("/readyz")
                    if r.status_code == 200:
                        return r.json()  # type: ignore[no-any-return]
                    last = f"{r.status_code} {r.text[:300]}"
                except httpx.HTTPError as exc:
                    last = type(exc).__name__
                time.sleep(0.25)
        raise RuntimeError(f"the server was not ready after {timeout:.0f}s (last: {last}):\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self.exit_code = None if self.proc is None else self.proc.returncode
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.exit_code = self.proc.wait(timeout=20)
            self.stopped_cleanly = True
            return
        except subprocess.TimeoutExpired:
            log("server did not stop after SIGINT; sending SIGTERM")
        self.proc.terminate()
        try:
            self.exit_code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log("server did not stop after SIGTERM; killing it")
            self.proc.kill()
            self.exit_code = self.proc.wait()


def proc_memory_mb(pid: int) -> dict[str, float]:
    """VmHWM (peak RSS) and VmRSS of `pid` in MiB, from /proc (Linux); {} elsewhere."""
    out: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = round(int(value.split()[0]) / 1024, 1)  # kB
    except (OSError, ValueError, IndexError):
        pass
    return out


def proc_cpu_seconds(pid: int) -> float | None:
    """utime + stime of `pid` in seconds, from /proc/<pid>/stat (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


# ----- process 3: the load generator ------------------------------------------------------------------
async def _load(url: str, users: int, seconds: float, max_turns: int, first_conversation: int) -> dict[str, Any]:
    import httpx

    latencies: dict[str, list[float]] = {k: [] for k in TURN_KINDS}
    create_latencies: list[float] = []
    errors: Counter[str] = Counter()
    create_errors: Counter[str] = Counter()
    states: dict[str, Counter[str]] = {k: Counter() for k in TURN_KINDS}
    error_samples: list[str] = []
    counters = {"conversations": 0, "complete": 0, "turns_sent": 0, "next": first_conversation}

    def record_error(bucket: Counter[str], key: str, sample: str) -> None:
        bucket[key] += 1
        if len(error_samples) < 5:
            error_samples.append(sample[:300])

    limits = httpx.Limits(max_connections=users + 4, max_keepalive_connections=users + 4)
    timeout = httpx.Timeout(REQUEST_TIMEOUT)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout, trust_env=False) as client:
        start = time.perf_counter()
        deadline = start + seconds

        def more() -> bool:
            return time.perf_counter() < deadline and counters["turns_sent"] < max_turns

        async def user() -> None:
            while more():
                n = counters["next"]
                counters["next"] += 1
                t0 = time.perf_counter()
                try:
                    r = await client.post("/v1/sessions", json={"mode": "coach"})
                except Exception as exc:  # timeouts, refused connections, protocol errors
                    record_error(create_errors, type(exc).__name__, f"create: {exc!r}")
                    await asyncio.sleep(0.05)
                    continue
                if r.status_code // 100 != 2:
                    record_error(create_errors, str(r.status_code), f"create {r.status_code}: {r.text}")
                    await asyncio.sleep(0.05)
                    continue
                create_latencies.append(time.perf_counter() - t0)
                sid = r.json()["id"]
                counters["conversations"] += 1
                done = 0
                for kind, text in zip(TURN_KINDS, conversation(n), strict=True):
                    if not more():
                        break
                    counters["turns_sent"] += 1
                    t0 = time.perf_counter()
                    try:
                        r = await client.post(f"/v1/sessions/{sid}/messages", json={"text": text})
                    except Exception as exc:
                        record_error(errors, type(exc).__name__, f"{kind}: {exc!r}")
                        break
                    elapsed = time.perf_counter() - t0
                    if r.status_code // 100 != 2:
                        record_error(errors, str(r.status_code), f"{kind} {r.status_code}: {r.text}")
                        break
                    latencies[kind].append(elapsed)
                    try:
                        states[kind][str(r.json()["reply"]["state"])] += 1
                    except (ValueError, KeyError, TypeError):
                        states[kind]["<unreadable reply>"] += 1
                    done += 1
                if done == len(TURN_KINDS):
                    counters["complete"] += 1

        await asyncio.gather(*(user() for _ in range(users)))
        wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "users": users,
        "seconds": seconds,
        "wall_s": wall,
        "latencies_s": latencies,
        "create_latencies_s": create_latencies,
        "errors": dict(errors),
        "create_errors": dict(create_errors),
        "error_samples": error_samples,
        "states": {k: dict(v) for k, v in states.items()},
        "conversations": counters["conversations"],
        "conversations_complete": counters["complete"],
        "turns_sent": counters["turns_sent"],
        "loadgen_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
    }


def run_load(url: str, users: int, seconds: float, first_conversation: int, out: Path) -> dict[str, Any]:
    """One level, from a second process (this module with --load)."""
    cmd = [
        sys.executable, "-m", "bench.bench_http", "--load", "--url", url, "--users", str(users),
        "--seconds", str(seconds), "--max-turns", str(MAX_TURNS_PER_LEVEL),
        "--first-conversation", str(first_conversation), "--out", str(out),
    ]  # fmt: skip
    proc = subprocess.run(cmd, cwd=REPO, timeout=seconds + 2 * REQUEST_TIMEOUT + 60)
    if proc.returncode != 0:
        raise RuntimeError(f"the load generator failed (exit {proc.returncode})")
    return json.loads(out.read_text("utf-8"))  # type: ignore[no-any-return]


# ----- the benchmark ----------------------------------------------------------------------------------
def _ms(values: list[float]) -> dict[str, float | int]:
    ms = [v * 1000.0 for v in values]
    if not ms:
        return {"n": 0}
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "mean_ms": round(sum(ms) / len(ms), 1),
        "max_ms": round(max(ms), 1),
    }


def level_figures(res: dict[str, Any], cpu_pct: float | None) -> tuple[list[Figure], dict[str, Any]]:
    n = res["users"]
    turns = [v for kind in TURN_KINDS for v in res["latencies_s"][kind]]
    all_ms = _ms(turns)
    n_errors = sum(res["errors"].values()) + sum(res["create_errors"].values())
    rate = len(turns) / res["wall_s"] if res["wall_s"] else 0.0
    by_status = ", ".join(f"{k}: {v}" for k, v in sorted({**res["create_errors"], **res["errors"]}.items()))
    what = "session" if n == 1 else "sessions"
    cpu_note = f"server CPU {cpu_pct:.0f} % of one core" if cpu_pct is not None else ""
    figures = [
        Figure(f"http_c{n}_p50_ms", f"HTTP turn p50, {n} concurrent {what}", all_ms.get("p50_ms"), "ms",
               note=f"n={len(turns)} turns, {res['conversations']} sessions"),
        Figure(f"http_c{n}_p95_ms", f"HTTP turn p95, {n} concurrent {what}", all_ms.get("p95_ms"), "ms"),
        Figure(f"http_c{n}_p99_ms", f"HTTP turn p99, {n} concurrent {what}", all_ms.get("p99_ms"), "ms"),
        Figure(f"http_c{n}_turns_per_s", f"HTTP throughput, {n} concurrent {what}", round(rate, 1), "turns/s",
               note=cpu_note),
        Figure(f"http_c{n}_errors", f"HTTP errors, {n} concurrent {what}", n_errors, "", target="0",
               ok=n_errors == 0, note=by_status),
    ]  # fmt: skip
    detail = {
        "users": n,
        "wall_s": round(res["wall_s"], 2),
        "turns": all_ms,
        "by_turn": {kind: _ms(res["latencies_s"][kind]) for kind in TURN_KINDS},
        "create_session": _ms(res["create_latencies_s"]),
        "turns_per_s": round(rate, 2),
        "errors": res["errors"],
        "create_errors": res["create_errors"],
        "error_samples": res["error_samples"],
        "reply_states": res["states"],
        "conversations": res["conversations"],
        "conversations_complete": res["conversations_complete"],
        "server_cpu_pct_of_one_core": None if cpu_pct is None else round(cpu_pct, 1),
        "loadgen_cpu_s": res["loadgen_cpu_s"],
    }
    return figures, detail


def main(seconds: float = SECONDS_PER_LEVEL, levels: tuple[int, ...] = LEVELS) -> list[Figure]:
    started = time.perf_counter()
    details: dict[str, Any] = {
        "method": "coach serve (1 worker, SQLite, embedded Chroma, no LLM, rate limit off) on 127.0.0.1; "
        "load from a second process (asyncio + httpx), closed loop, 3-turn conversations on fresh text",
        "seconds_per_level": seconds,
        "max_turns_per_level": MAX_TURNS_PER_LEVEL,
        "load_avg_1m": [load_avg()],
        "levels": {},
    }
    figures: list[Figure] = []
    with temp_dir() as tmp:
        data_dir = tmp / "data"
        data_dir.mkdir()
        log("preparing a fresh data dir (ingest + classifier)")
        details["prepare"] = run_prepare(data_dir)
        server = Server(data_dir)
        try:
            log(f"starting `coach serve` on {server.url}")
            t0 = time.perf_counter()
            server.start()
            details["readyz"] = server.wait_ready()
            t_ready = time.perf_counter() - t0
            details["server_ready_s"] = round(t_ready, 1)
            details["server_memory_at_ready"] = proc_memory_mb(server.pid)
            log(f"server ready after {t_ready:.1f}s; warming up for {WARMUP_SECONDS:.0f}s")
            warm = run_load(server.url, 1, WARMUP_SECONDS, 0, tmp / "warmup.json")
            details["warmup"] = {"turns": sum(len(v) for v in warm["latencies_s"].values()), "errors": warm["errors"]}
            for i, n in enumerate(levels):
                log(f"{n} concurrent session(s) for {seconds:.0f}s")
                cpu0, w0 = proc_cpu_seconds(server.pid), time.perf_counter()
                res = run_load(server.url, n, seconds, CONVERSATIONS_PER_LEVEL * (i + 1), tmp / f"level-{n}.json")
                cpu1, w1 = proc_cpu_seconds(server.pid), time.perf_counter()
                cpu_pct = 100.0 * (cpu1 - cpu0) / (w1 - w0) if cpu0 is not None and cpu1 is not None else None
                figs, detail = level_figures(res, cpu_pct)
                detail["server_memory_after"] = proc_memory_mb(server.pid)
                details["levels"][str(n)] = detail
                details["load_avg_1m"].append(load_avg())
                figures += figs
                log(
                    f"  p50 {detail['turns'].get('p50_ms')} ms, p99 {detail['turns'].get('p99_ms')} ms, "
                    f"{detail['turns_per_s']} turns/s, errors {figs[-1].value}"
                )
            mem = proc_memory_mb(server.pid)
            details["server_memory_end"] = mem
            if server.proc is not None and server.proc.poll() is not None:
                raise RuntimeError(f"the server died during the run:\n{server.log_tail()}")
        finally:
            server.stop()
            details["server_exit_code"] = server.exit_code
            details["server_stopped_cleanly"] = server.stopped_cleanly
            tail = server.log_tail(4000)
            if "Traceback" in tail or "ERROR" in tail:
                details["server_log_tail"] = tail
            log(f"server stopped (exit {server.exit_code}, {'clean' if server.stopped_cleanly else 'forced'})")
        figures += [
            Figure("http_server_ready_s", "Server start to /readyz 200", details["server_ready_s"], "s",
                   note="coach serve: imports, model, index, classifier"),
            Figure("http_server_peak_rss_mb", "Server peak RSS (VmHWM)", mem.get("VmHWM"), "MiB",
                   note=f"RSS at ready {details['server_memory_at_ready'].get('VmRSS')} MiB"),
        ]  # fmt: skip
    write_results(NAME, figures, details, started)
    print_table("HTTP API turns (coach serve, 1 worker, SQLite, loopback; load from a second process)", figures)
    return figures


def _cli(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=SECONDS_PER_LEVEL, help="duration of each level")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="concurrent sessions, e.g. 1,8,32")
    parser.add_argument("--prepare", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--max-turns", type=int, default=MAX_TURNS_PER_LEVEL, help=argparse.SUPPRESS)
    parser.add_argument("--first-conversation", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        result = prepare(Path(args.prepare))
        Path(args.out).write_text(json.dumps(result), "utf-8")
        return
    if args.load:
        if not args.url.startswith(f"http://{HOST}:"):
            raise SystemExit(f"refusing to load anything but http://{HOST}")
        result = asyncio.run(_load(args.url, args.users, args.seconds, args.max_turns, args.first_conversation))
        Path(args.out).write_text(json.dumps(result), "utf-8")
        return
    main(args.seconds, tuple(int(x) for x in args.levels.split(",") if x.strip()))


if __name__ == "__main__":
    _cli()
