"""Shared helpers of the benchmarks: temp data dirs, building the service, timing, RSS, results, texts.

Every benchmark builds its own index in a fresh temporary data directory from a copy of `knowledge/`, so it
runs on a fresh clone, offline, and never touches `.coach-data/`.
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Offline and quiet, before anything imports transformers / huggingface_hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

if TYPE_CHECKING:
    from coach.config import Settings
    from coach.service import CoachService

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
BENCH_DATA = REPO / "bench" / "data"
RESULTS = REPO / "bench" / "results"


# ----- temp dirs and the service ----------------------------------------------------------------------
@contextmanager
def temp_dir(prefix: str = "coach-bench-") -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def copy_knowledge(dest: Path, source: Path = KNOWLEDGE) -> Path:
    """A private copy of the knowledge base (so a benchmark may edit it, and others' edits can't race us)."""
    shutil.copytree(source, dest)
    return dest


def make_settings(data_dir: Path, knowledge_dir: Path = KNOWLEDGE) -> Settings:
    """Settings pinned to the temp dir and the real model, whatever COACH_* or .env say about storage."""
    from coach.config import LLMSettings, Settings

    settings = Settings(
        data_dir=data_dir,
        knowledge_dir=knowledge_dir,
        extra_knowledge=[],
        database_url=None,
        chroma_url=None,
        llm=LLMSettings(provider="none"),
    )
    # COACH_EMBEDDING__MODEL may point at another local model (honoured); the hash fake is never benchmarked.
    settings.embedding.backend = "sentence-transformers"
    return settings


def build_service(data_dir: Path, knowledge_dir: Path = KNOWLEDGE) -> CoachService:
    from api.container import build_service as build

    return build(make_settings(data_dir, knowledge_dir))


def clear_embedding_cache(service: CoachService) -> None:
    """Empty the embedder's in-process LRU cache, as in a fresh `coach` process (the model stays loaded)."""
    cache = getattr(service.embedder, "_cache", None)
    data = getattr(cache, "data", None)
    if data is not None:
        data.clear()


# ----- timing -----------------------------------------------------------------------------------------
def time_call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    """(seconds, result) of `fn(*args, **kwargs)`."""
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t0, out


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile (numpy's default), q in 0..100."""
    if not values:
        return float("nan")
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def latency_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / mean / min / max in milliseconds of a list of durations in seconds."""
    ms = [s * 1000.0 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "mean_ms": round(sum(ms) / len(ms), 3) if ms else float("nan"),
        "min_ms": round(min(ms), 3) if ms else float("nan"),
        "max_ms": round(max(ms), 3) if ms else float("nan"),
    }


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size of this process (or of its largest finished child) in MiB."""
    peak = resource.getrusage(who).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)  # bytes on macOS


def load_avg() -> float:
    """The 1-minute load average (other work on the machine inflates every timing)."""
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else float("nan")


def environment() -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    except Exception:
        pass
    return info


# ----- results ----------------------------------------------------------------------------------------
@dataclass
class Figure:
    """One reported number: `key` is stable (JSON), `label` is for people."""

    key: str
    label: str
    value: float | int | str | None
    unit: str = ""
    target: str = ""
    ok: bool | None = None  # met the target? None when there is no target
    note: str = ""


def load_figure(loads: Sequence[float]) -> Figure:
    """The highest 1-minute load seen during a benchmark: above the CPU count, timings are inflated."""
    return Figure(
        "load_avg_1m",
        "Machine load average during the run (max)",
        max(loads),
        "",
        note=f"{os.cpu_count()} CPUs; above that, timings are inflated by other work",
    )


def fmt_value(value: Any, unit: str) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if unit == "%":
        return f"{value:.1f} %"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
    if unit == "×":
        return f"{value:.2f}×"
    if unit in ("/s", "sentences/s", "statements/s", "chunks/s"):
        return f"{value:,.0f} {unit}"
    if unit == "MiB":
        return f"{value:,.0f} MiB"
    if isinstance(value, float):
        return f"{value:,.3g} {unit}".strip()
    return f"{value:,} {unit}".strip()


def status(fig: Figure) -> str:
    return "" if fig.ok is None else ("✅" if fig.ok else "❌")


def write_results(name: str, figures: list[Figure], details: dict[str, Any], started: float) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    doc = {
        "bench": name,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "environment": environment(),
        "figures": [asdict(f) for f in figures],
        "details": details,
    }
    path = RESULTS / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")
    tmp.replace(path)
    return path


def print_table(title: str, figures: list[Figure]) -> None:
    rows = [(f.label, fmt_value(f.value, f.unit), f.target, status(f)) for f in figures]
    w0 = max([len(r[0]) for r in rows] + [6])
    w1 = max([len(r[1]) for r in rows] + [5])
    print(f"\n{title}")
    print("-" * (w0 + w1 + 20))
    for label, value, target, ok in rows:
        extra = f"  (target {target}) {ok}" if target else ""
        print(f"{label:<{w0}}  {value:>{w1}}{extra}")
    sys.stdout.flush()


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ----- distinct texts (so the embedder's LRU cache never hits) ----------------------------------------
_TEAMS = [
    "service desk",
    "support",
    "HR",
    "finance",
    "sales",
    "marketing",
    "product",
    "platform",
    "clinic",
    "school",
    "housing",
    "procurement",
    "facilities",
    "legal",
    "data",
    "security",
    "field operations",
    "community",
    "fundraising",
    "research",
    "payroll",
    "logistics",
    "learning",
    "public health",
]
_DELIVERABLES = [
    "workshops",
    "training sessions",
    "newsletters",
    "dashboards",
    "release notes",
    "blog posts",
    "webinars",
    "audits",
    "site visits",
    "onboarding packs",
    "case reviews",
    "knowledge articles",
    "policy briefs",
    "outreach events",
    "user interviews",
    "health checks",
    "sprint demos",
    "mentoring sessions",
    "home visits",
    "safety inspections",
    "press releases",
    "drop-in clinics",
    "coding clubs",
    "tree plantings",
]
_SINGLE = [
    "self-service portal",
    "onboarding checklist",
    "pricing page",
    "mentoring scheme",
    "data catalogue",
    "incident runbook",
    "volunteer handbook",
    "customer newsletter",
    "expense policy",
    "training module",
    "chatbot",
    "feedback survey",
    "booking system",
    "recycling scheme",
    "referral pathway",
    "style guide",
]
_PAST = [
    "Ran",
    "Held",
    "Published",
    "Delivered",
    "Completed",
    "Hosted",
    "Wrote",
    "Shipped",
    "Produced",
    "Conducted",
    "Organised",
    "Sent out",
]
_IMPERATIVE = [
    "Launch",
    "Build",
    "Publish",
    "Roll out",
    "Deliver",
    "Create",
    "Write",
    "Set up",
    "Draft",
    "Redesign",
    "Introduce",
    "Pilot",
]
_PEOPLE = [
    "customers",
    "new hires",
    "patients",
    "students",
    "tenants",
    "volunteers",
    "small businesses",
    "managers",
    "field engineers",
    "first-time buyers",
    "carers",
    "residents",
    "subscribers",
    "farmers",
    "job seekers",
    "nurses",
    "developers",
    "donors",
    "parents",
    "analysts",
    "suppliers",
    "pupils",
    "members",
    "drivers",
]
_CHANGES = [
    "resolve billing questions without calling us",
    "renew their contracts",
    "return for a second visit",
    "feel confident using the new system",
    "find what they need on the first try",
    "stay in work",
    "recommend us to a friend",
    "finish the course",
    "make fewer data-entry errors",
    "pay on time",
    "reach the right team first time",
    "keep their tenancy",
    "use the app every week",
    "avoid an emergency readmission",
    "manage without weekly support",
    "switch to reusable packaging",
    "book appointments online",
    "catch phishing emails before clicking",
    "read at their age level",
    "save for emergencies",
    "sleep better",
    "trust us with their data",
]
_METRICS = [
    "churn",
    "average wait time",
    "repeat incidents",
    "readmissions",
    "late payments",
    "staff turnover",
    "complaints",
    "energy use",
    "time to hire",
    "cost per claim",
    "missed appointments",
    "escalations",
    "waste sent to landfill",
    "days sales outstanding",
    "unplanned downtime",
    "absence rates",
]
_PERIODS = [
    "this quarter",
    "last month",
    "by June",
    "in 2025",
    "over the summer",
    "this year",
    "by the end of March",
    "in Q3",
    "before the audit",
    "within six months",
    "by Q4",
    "over the last year",
    "in the pilot region",
]


def _statement(rng: random.Random) -> str:
    n = rng.randint(2, 480)
    pct = rng.randint(5, 95)
    kind = rng.randrange(10)
    if kind == 0:
        return f"{rng.choice(_PAST)} {n} {rng.choice(_DELIVERABLES)} for {rng.choice(_PEOPLE)} {rng.choice(_PERIODS)}"
    if kind == 1:
        return f"{rng.choice(_IMPERATIVE)} a {rng.choice(_SINGLE)} for the {rng.choice(_TEAMS)} team {rng.choice(_PERIODS)}"
    if kind == 2:
        return f"Number of {rng.choice(_DELIVERABLES)} delivered by the {rng.choice(_TEAMS)} team per month, target {n}"
    if kind == 3:
        return f"{n} {rng.choice(_PEOPLE)} attended our {rng.choice(_DELIVERABLES)} {rng.choice(_PERIODS)}"
    if kind == 4:
        return f"Increase the number of {rng.choice(_DELIVERABLES)} we publish to {n} a month"
    if kind == 5:
        return f"{pct}% of {rng.choice(_PEOPLE)} {rng.choice(_CHANGES)} {rng.choice(_PERIODS)}"
    if kind == 6:
        return f"{rng.choice(_PEOPLE).capitalize()} {rng.choice(_CHANGES)} {rng.choice(_PERIODS)}"
    if kind == 7:
        return f"Cut {rng.choice(_METRICS)} by {pct}% {rng.choice(_PERIODS)}"
    if kind == 8:
        a = rng.randint(20, 90)
        return f"Reduce {rng.choice(_METRICS)} for {rng.choice(_PEOPLE)} from {a}% to {max(1, a - pct // 3)}%"
    return f"{pct} more {rng.choice(_PEOPLE)} {rng.choice(_CHANGES)} after the {rng.choice(_SINGLE)} went live"


def distinct_statements(n: int, seed: int, exclude: set[str] | None = None) -> list[str]:
    """`n` distinct short work statements (half output-like, half outcome-like), none in `exclude`.

    Adds what it returns to `exclude`, so successive calls with the same set never repeat a text.
    """
    rng = random.Random(seed)
    seen = exclude if exclude is not None else set()
    out: list[str] = []
    tries = 0
    while len(out) < n:
        tries += 1
        if tries > n * 200:
            raise RuntimeError(f"could not generate {n} distinct statements")
        text = _statement(rng)
        if text in seen:
            continue
        seen.add(text)
        out.append(text)
    return out


_GUIDANCE_TASKS = [
    "turn a list of outputs into outcomes",
    "write a good outcome statement",
    "choose a leading indicator",
    "stop people gaming a target",
    "run an outputs-to-outcomes workshop",
    "set a baseline when there is no data",
    "write key results that are outcomes",
    "explain outcomes to a funder",
    "evaluate a training programme",
    "reward outcomes instead of closed tickets",
    "ask 'so what?' without annoying people",
    "decide when an output is a fair commitment",
    "build a logic model",
    "map impact to deliverables",
    "describe services by the outcomes they enable",
    "pick a balancing measure",
    "know when to stop laddering",
    "use ITIL value co-creation",
    "measure something that seems too hard",
    "separate short-term from long-term outcomes",
]
_MEASURE_TOPICS = [
    "measure whether {p} {c}",
    "an outcome measure for {p} who {c}",
    "how to track {m} in {t}",
    "a leading indicator that {p} {c}",
    "evidence that {m} is falling in {t}",
    "a KPI for {t} about {m}",
]


def distinct_queries(kind: str, n: int, seed: int, exclude: set[str] | None = None) -> list[str]:
    """`n` distinct search queries aimed at guidance ('guidance') or the measure library ('measures')."""
    rng = random.Random(seed)
    seen = exclude if exclude is not None else set()
    out: list[str] = []
    tries = 0
    while len(out) < n:
        tries += 1
        if tries > n * 500:
            raise RuntimeError(f"could not generate {n} distinct {kind} queries")
        if kind == "guidance":
            q = f"how should a {rng.choice(_TEAMS)} team {rng.choice(_GUIDANCE_TASKS)}"
        else:
            q = rng.choice(_MEASURE_TOPICS).format(
                p=rng.choice(_PEOPLE), c=rng.choice(_CHANGES), m=rng.choice(_METRICS), t=rng.choice(_TEAMS)
            )
        if q in seen:
            continue
        seen.add(q)
        out.append(q)
    return out


def knowledge_texts(root: Path = KNOWLEDGE) -> set[str]:
    """Every labelled example's text (they are embedded, hence cached, during ingest)."""
    from coach.knowledge import load_examples

    return {e.text for e in load_examples([root])}
