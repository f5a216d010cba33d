"""Classifier benchmark: single-statement latency against embedding, batch throughput, accuracy and baselines.

python -m bench.bench_classifier       # writes bench/results/classifier.json and classifier_profile.txt
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import (
    BENCH_DATA,
    REPO,
    RESULTS,
    Figure,
    build_service,
    copy_knowledge,
    distinct_statements,
    knowledge_texts,
    latency_ms,
    load_avg,
    load_figure,
    log,
    peak_rss_mb,
    print_table,
    temp_dir,
    time_call,
    write_results,
)

NAME = "classifier"
ROUNDS = 300  # interleaved embed / classify rounds
WARMUP = 20
BATCH_N = 2000
CHUNK = 250  # statements per classify_many call in the batch benchmark
PROFILE_N = 200
PROBE_ROUNDS = 150
RATIO_TARGET = 1.2
BATCH_TARGET = 300.0
DEV_TARGET = 92.0
ALT_ANGLE = BENCH_DATA / "alt-angle.jsonl"
HOLDOUT = BENCH_DATA / "realworld-holdout.jsonl"
HOLDOUT_TARGET = 90.0
ECE_TARGET = 0.05

# ----- baselines -----------------------------------------------------------------------------------------
# (a) Keyword rules: a short list of production verbs → output, anything else → outcome.
PRODUCTION_VERBS = [
    "launch",
    "launched",
    "deliver",
    "delivered",
    "build",
    "built",
    "hold",
    "held",
    "run",
    "ran",
    "publish",
    "published",
    "create",
    "created",
    "write",
    "wrote",
    "written",
    "conduct",
    "conducted",
    "host",
    "hosted",
    "train",
    "trained",
    "send",
    "sent",
    "complete",
    "completed",
    "produce",
    "produced",
    "implement",
    "implemented",
    "roll out",
    "rolled out",
    "organise",
    "organised",
    "organize",
    "organized",
    "set up",
    "hire",
    "hired",
    "install",
    "installed",
    "design",
    "designed",
    "develop",
    "developed",
]
_KEYWORDS = re.compile(r"\b(?:" + "|".join(re.escape(v) for v in PRODUCTION_VERBS) + r")\b", re.IGNORECASE)

# (b) Zero-shot: nearest of two label descriptions, with the same embedding model.
LABEL_DESCRIPTIONS = {
    "output": "An output: an activity the team carries out or a product, service or deliverable it produces, "
    "such as events held, reports published, features shipped or tickets closed.",
    "outcome": "An outcome: a change in the behaviour, knowledge, skills, condition or results of the people "
    "the team serves, such as customers succeeding on their own, costs falling or lives improving.",
}


def keyword_baseline(texts: list[str]) -> list[str]:
    return ["output" if _KEYWORDS.search(t) else "outcome" for t in texts]


def zero_shot_baseline(embed: Callable[[list[str]], np.ndarray], texts: list[str]) -> list[str]:
    labels = list(LABEL_DESCRIPTIONS)
    protos = embed([LABEL_DESCRIPTIONS[k] for k in labels])
    sims = embed(texts) @ protos.T
    return [labels[int(i)] for i in np.argmax(sims, axis=1)]


def lr100_baseline(
    embed: Callable[[list[str]], np.ndarray], train: list[Any], texts: list[str], seed: int
) -> list[str]:
    """Logistic regression on sentence embeddings of 100 training examples (50 per label)."""
    from sklearn.linear_model import LogisticRegression

    rng = random.Random(seed)
    pick = [e for lab in ("output", "outcome") for e in rng.sample([x for x in train if x.label == lab], 50)]
    lr = LogisticRegression(max_iter=2000).fit(embed([e.text for e in pick]), [e.label for e in pick])
    return [str(p) for p in lr.predict(embed(texts))]


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    return 100.0 * sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


# ----- profiling -----------------------------------------------------------------------------------------
def _where(key: tuple[str, int, str]) -> str:
    file, line, func = key
    if file == "~":
        return func
    p = Path(file)
    try:
        rel = p.resolve().relative_to(REPO).as_posix()
    except ValueError:
        parts = p.parts
        rel = "/".join(parts[parts.index("site-packages") + 1 :]) if "site-packages" in parts else p.name
    return f"{rel}:{line}({func})"


def profile_classify(service: Any, texts: list[str]) -> dict[str, Any]:
    """cProfile of the non-embedding path of `service.classify(text)`: the texts are embedded beforehand, so
    the embedder answers from its cache and every remaining cost is the service's and the classifier's own."""
    service.embedder.embed(texts)
    prof = cProfile.Profile()
    prof.enable()
    for t in texts:
        service.classify(t)
    prof.disable()
    n = len(texts)
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(40)
    (RESULTS / "classifier_profile.txt").write_text(
        f"cProfile of service.classify(text) over {n} distinct single statements, embeddings pre-cached\n"
        "(so this is everything except the transformer forward pass)\n\n" + buf.getvalue(),
        "utf-8",
    )
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    rows = [
        {
            "where": _where(k),
            "calls_per_stmt": round(v[1] / n, 2),
            "self_ms_per_stmt": round(v[2] * 1000 / n, 3),
            "cum_ms_per_stmt": round(v[3] * 1000 / n, 3),
        }
        for k, v in raw.items()
    ]
    by_cum = sorted(rows, key=lambda r: -r["cum_ms_per_stmt"])
    by_self = sorted(rows, key=lambda r: -r["self_ms_per_stmt"])
    return {"n": n, "top_cumulative": by_cum[:30], "top_self": by_self[:25]}


def batch_overhead(service: Any, texts: list[str]) -> dict[str, Any]:
    """`classify_many` with every embedding cached: the batch path's own cost per statement, and its profile."""
    service.embedder.embed(texts)
    half = len(texts) // 2
    secs, _ = time_call(service.classify_many, texts[:half])
    prof = cProfile.Profile()
    prof.enable()
    service.classify_many(texts[half:])
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(25)
    with (RESULTS / "classifier_profile.txt").open("a", encoding="utf-8") as fh:
        fh.write(f"\n\n===== cProfile of classify_many over {len(texts) - half} statements, embeddings cached\n\n")
        fh.write(buf.getvalue())
    n = len(texts) - half
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    rows = sorted(
        (
            {
                "where": _where(k),
                "self_ms_per_stmt": round(v[2] * 1000 / n, 4),
                "cum_ms_per_stmt": round(v[3] * 1000 / n, 4),
            }
            for k, v in raw.items()
        ),
        key=lambda r: -r["self_ms_per_stmt"],
    )
    return {"n": half, "ms_per_stmt": secs * 1000 / half, "per_second_ceiling": half / secs, "top_self": rows[:12]}


def sklearn_tfidf_dot(model: Any) -> Callable[[str], float]:
    """The TF-IDF term of the decision as sklearn computes it (the model uses a hand-rolled equivalent)."""
    w_tf = np.asarray(model.w_tf, dtype=np.float64)

    def dot(text: str) -> float:
        return float((model.tfidf.transform([text]) @ w_tf)[0])

    return dot


def post_embed_probe(service: Any, texts: list[str]) -> dict[str, Any]:
    """Interleaved rounds on fresh texts: embed(a); service.classify(b); then embed(c) untimed and, right
    after it, Classifier.classify(c, embedding given) timed — the non-embedding work as it runs in real use,
    straight after a transformer call (thread pools still awake), unlike the cached-embedding stages."""
    clf = service.classifier()
    t_embed: list[float] = []
    t_classify: list[float] = []
    t_after: list[float] = []
    for i in range(0, len(texts) - 2, 3):
        a, b, c = texts[i : i + 3]
        t_embed.append(time_call(service.embedder.embed, [a])[0])
        t_classify.append(time_call(service.classify, b)[0])
        stmts = service.statements(c)
        vec = service.embedder.embed([c])
        t_after.append(time_call(clf.classify, stmts, embeddings=vec)[0])
    le, lc = latency_ms(t_embed), latency_ms(t_classify)
    return {
        "embed": le,
        "classify": lc,
        "ratio_p50": lc["p50_ms"] / le["p50_ms"],
        "after_embed": latency_ms(t_after),
        "load_avg_1m": load_avg(),
    }


def stage_breakdown_child(data_dir: Path, knowledge_dir: Path, texts: list[str]) -> dict[str, Any]:
    """The same breakdown and probe in a fresh process with OPENBLAS_NUM_THREADS=1, over a copy of the data
    dir (the parent is idle meanwhile). Returns {"stages": …, "probe": …}, or {} if the child failed."""
    with temp_dir() as tmp:
        copy = tmp / "data"
        shutil.copytree(data_dir, copy)
        (tmp / "texts.json").write_text(json.dumps(texts), "utf-8")
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.bench_classifier",
                "--stages",
                str(copy),
                str(knowledge_dir),
                str(tmp / "texts.json"),
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if proc.returncode != 0:
            log(f"stage breakdown with OPENBLAS_NUM_THREADS=1 failed:\n{proc.stderr[-2000:]}")
            return {}
        return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _stages_main(data_dir: str, knowledge_dir: str, texts_file: str) -> int:
    service = build_service(Path(data_dir), Path(knowledge_dir))
    texts = json.loads(Path(texts_file).read_text("utf-8"))
    for t in texts[:10]:
        service.classify(t + " (warm-up)")
    stages = stage_breakdown(service, texts)
    probe_texts = distinct_statements(PROBE_ROUNDS * 3, seed=309, exclude=knowledge_texts(Path(knowledge_dir)))
    print(json.dumps({"stages": stages, "probe": post_embed_probe(service, probe_texts)}))
    return 0


def stage_breakdown(service: Any, texts: list[str]) -> dict[str, Any]:
    """Each non-embedding stage of the single-statement path timed on its own, plus what-if alternatives.

    Embeddings are computed beforehand (one batch), so nothing here waits for the transformer.
    """
    from coach.cues import commitment_kind, cue_vector, find_cues
    from coach.model import knn_vote

    clf = service.classifier()
    embs = service.embedder.embed(texts)
    mem = clf.memory.embeddings
    model = clf.model
    slow = sklearn_tfidf_dot(model)
    mismatch = max(abs(model._tfidf_dot(t) - slow(t)) for t in texts[:50])
    guard = clf.language_guard
    st: dict[str, list[float]] = {}

    def add(name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        st.setdefault(name, []).append(time_call(fn, *args, **kwargs)[0])

    in_doubt = 0
    for i, t in enumerate(texts):
        e = embs[i : i + 1]
        stmts = service.statements(t)
        hits = find_cues(t)
        add("service.classify, embedding cached (whole non-embedding path)", service.classify, t)
        add("statements(): clean + segment", service.statements, t)
        add("Classifier.classify(embedding given)", clf.classify, stmts, embeddings=e)
        add("  model.proba_outcome (cues given)", model.proba_outcome, [t], e, [hits])
        add("    cue_vector (cues given)", cue_vector, t, hits)
        add("    tfidf · w_tf, hand-rolled (in use)", model._tfidf_dot, t)
        add("    tfidf · w_tf through sklearn [what-if]", slow, t)
        sims_row = e @ mem.T
        add(
            "    neighbour vote (similarities shared with the evidence)",
            knn_vote,
            sims_row,
            model.nn_y,
            model.hyper.knn_k,
            model.nn_split,
        )
        add("  find_cues", find_cues, t)
        add("  none model p(not a statement)", model.none.proba, [t], e)
        add("  language guard", guard.detect, t, model.known)
        in_doubt += guard.in_doubt(t, model.known)
        add("  sims = emb @ memory.T (evidence)", np.matmul, e, mem.T)
        sims = (mem * e[0]).sum(axis=1)
        add("  argsort of all similarities", np.argsort, -sims)
        add("  commitment_kind", commitment_kind, t)
    out: dict[str, Any] = {name: latency_ms(v) for name, v in st.items()}
    out["_memory_rows"] = int(mem.shape[0])
    out["_fast_tfidf_max_abs_diff"] = mismatch
    out["_language_identifier_share"] = in_doubt / len(texts)
    return out


# ----- main ----------------------------------------------------------------------------------------------
def main() -> int:
    started = time.perf_counter()
    details: dict[str, Any] = {}
    loads: list[float] = [load_avg()]
    details["load_avg_1m"] = loads
    from coach.knowledge import load_examples, read_jsonl_labelled

    with temp_dir() as tmp:
        kdir = copy_knowledge(tmp / "knowledge")
        used = knowledge_texts(kdir)
        service = build_service(tmp / "data", kdir)
        emb = service.embedder
        log("loading the model and ingesting into a temp data dir")
        details["model_load_s"], _ = time_call(getattr(emb, "warm", lambda: None))
        details["ingest_s"], rep = time_call(service.ingest)
        details["index_counts"] = rep.counts
        details["train_all_s"], clf = time_call(service.classifier)
        details["training_examples"] = len(clf.memory.texts)

        # -- warm-up (first call embeds the guidance queries, touches every code path)
        for t in distinct_statements(WARMUP * 2, seed=300, exclude=used):
            service.classify(t)
            emb.embed([t + " ."])

        # -- interleaved single-statement latency: embed(fresh) and classify(fresh), alternating order
        log(f"interleaved embed / classify: {ROUNDS} rounds")
        loads.append(load_avg())
        texts = distinct_statements(ROUNDS * 2, seed=301, exclude=used)
        t_embed: list[float] = []
        t_classify: list[float] = []
        for i in range(ROUNDS):
            a, b = texts[2 * i], texts[2 * i + 1]
            if i % 2 == 0:
                t_embed.append(time_call(emb.embed, [a])[0])
                t_classify.append(time_call(service.classify, b)[0])
            else:
                t_classify.append(time_call(service.classify, b)[0])
                t_embed.append(time_call(emb.embed, [a])[0])
        le, lc = latency_ms(t_embed), latency_ms(t_classify)
        ratio = lc["p50_ms"] / le["p50_ms"]
        details["single"] = {
            "embed": le,
            "classify": lc,
            "ratio_p50": ratio,
            "ratio_p95": lc["p95_ms"] / le["p95_ms"],
            "rounds": ROUNDS,
        }

        # -- batch throughput: classify_many over distinct statements, interleaved chunk by chunk with embedding
        #    alone of other distinct statements (the ceiling), so both see the same machine load
        log(f"batch: classify_many over {BATCH_N} statements")
        loads.append(load_avg())
        batch = distinct_statements(BATCH_N, seed=302, exclude=used)
        other = distinct_statements(BATCH_N, seed=303, exclude=used)
        batch_s = embed_only_s = 0.0
        preds = []
        for i in range(0, BATCH_N, CHUNK):
            d, got = time_call(service.classify_many, batch[i : i + CHUNK])
            batch_s += d
            preds += got
            embed_only_s += time_call(emb.embed, other[i : i + CHUNK])[0]
        assert len(preds) == BATCH_N
        details["batch"] = {
            "n": BATCH_N,
            "chunk": CHUNK,
            "classify_many_s": batch_s,
            "per_second": BATCH_N / batch_s,
            "embed_only_s": embed_only_s,
            "embed_only_per_second": BATCH_N / embed_only_s,
            "outcome_share": sum(p.label == "outcome" for p in preds) / BATCH_N,
        }

        # -- accuracy: dev split (model trained on the train split only) and the alt-angle set
        log("accuracy: dev split and alt-angle set")
        examples = load_examples([kdir])
        dev = [e for e in examples if e.resolved_split == "dev"]
        train = [e for e in examples if e.resolved_split == "train"]
        details["train_train_s"], _ = time_call(service.classifier, "train")
        dev_report = service.evaluate(dev, scope="train")
        alt = read_jsonl_labelled(ALT_ANGLE)
        known = {" ".join(t.lower().split()) for t in used}
        overlap = sum(" ".join(e.text.lower().split()) in known for e in alt)
        alt_report = service.evaluate(alt, scope="all")
        alt_train_report = service.evaluate(alt, scope="train")
        holdout = read_jsonl_labelled(HOLDOUT)
        hold_overlap = sum(" ".join(e.text.lower().split()) in known for e in holdout)
        hold_report = service.evaluate(holdout, scope="all", worst=30)
        hold_train_report = service.evaluate(holdout, scope="train")
        hold_preds = service.classify_many([e.text for e in holdout])
        by_source: dict[str, list[bool]] = {}
        for e, c in zip(holdout, hold_preds, strict=True):
            by_source.setdefault(e.source, []).append(e.label == c.label)
        details["dev"] = dev_report.model_dump(exclude={"worst"}) | {
            "worst": [m.model_dump() for m in dev_report.worst]
        }
        details["alt_angle"] = alt_report.model_dump(exclude={"worst"}) | {
            "worst": [m.model_dump() for m in alt_report.worst],
            "overlap_with_knowledge_examples": overlap,
            "train_split_model": alt_train_report.model_dump(exclude={"worst"}),
        }
        details["realworld_holdout"] = hold_report.model_dump(exclude={"worst"}) | {
            "worst": [m.model_dump() for m in hold_report.worst],
            "overlap_with_knowledge_examples": hold_overlap,
            "train_split_model": hold_train_report.model_dump(exclude={"worst"}),
            "per_source": {
                k: {"n": len(v), "accuracy": round(sum(v) / len(v), 4)} for k, v in sorted(by_source.items())
            },
            "rule_disagreements": [
                {"text": e.text, "source_label": e.label, "rule_label": e.rule_label, "predicted": c.label}
                for e, c in zip(holdout, hold_preds, strict=True)
                if e.rule_label
            ],
        }

        # -- baselines on the same sets
        def embed_list(xs: list[str]) -> np.ndarray:
            return emb.embed(xs)

        baselines: dict[str, dict[str, float]] = {}
        for set_name, items in (("alt_angle", alt), ("dev", dev), ("realworld_holdout", holdout)):
            gold = [e.label for e in items]
            xs = [e.text for e in items]
            lr = [accuracy(gold, lr100_baseline(embed_list, train, xs, seed)) for seed in range(5)]
            baselines[set_name] = {
                "keyword_rules": accuracy(gold, keyword_baseline(xs)),
                "zero_shot_similarity": accuracy(gold, zero_shot_baseline(embed_list, xs)),
                "logreg_100_examples_mean_of_5": sum(lr) / len(lr),
                "always_majority": 100.0 * max(gold.count("output"), gold.count("outcome")) / len(gold),
            }
        details["baselines"] = baselines

        # -- where the non-embedding time goes
        log(f"profiling {PROFILE_N} single-statement classifications")
        loads.append(load_avg())
        stage_texts = distinct_statements(PROFILE_N, seed=304, exclude=used)
        details["stages"] = stage_breakdown(service, stage_texts)
        log("stage breakdown again in a child process with OPENBLAS_NUM_THREADS=1")
        details["probe"] = post_embed_probe(service, distinct_statements(PROBE_ROUNDS * 3, seed=308, exclude=used))
        child = stage_breakdown_child(tmp / "data", kdir, distinct_statements(PROFILE_N, seed=306, exclude=used))
        details["stages_openblas_1_thread"] = child.get("stages", {})
        details["probe_openblas_1_thread"] = child.get("probe", {})
        details["profile"] = profile_classify(service, distinct_statements(PROFILE_N, seed=305, exclude=used))
        details["batch_overhead"] = batch_overhead(service, distinct_statements(2000, seed=307, exclude=used))
        details["peak_rss_mb"] = peak_rss_mb()
        loads.append(load_avg())

    b, alt_b = details["batch"], baselines["alt_angle"]
    dev_acc, alt_acc = 100 * dev_report.accuracy, 100 * alt_report.accuracy
    stg = details["stages"]
    noemb = stg["service.classify, embedding cached (whole non-embedding path)"]["p50_ms"]
    stg1 = details["stages_openblas_1_thread"]
    whole = "service.classify, embedding cached (whole non-embedding path)"
    noemb_1t = stg1[whole]["p50_ms"] if stg1 else None
    probe, probe1 = details["probe"], details["probe_openblas_1_thread"]
    figures = [
        Figure(
            "embed_single_p50_ms",
            "Embed one statement p50 (interleaved)",
            le["p50_ms"],
            "ms",
            note=f"{ROUNDS} rounds, distinct texts",
        ),
        Figure("embed_single_p95_ms", "Embed one statement p95 (interleaved)", le["p95_ms"], "ms"),
        Figure("classify_single_p50_ms", "Classify one statement p50 (service.classify)", lc["p50_ms"], "ms"),
        Figure("classify_single_p95_ms", "Classify one statement p95", lc["p95_ms"], "ms"),
        Figure(
            "classify_embed_ratio_p50",
            "Classify / embed, ratio of p50s",
            round(ratio, 2),
            "×",
            target=f"≤ {RATIO_TARGET}×",
            ok=ratio <= RATIO_TARGET,
        ),
        Figure(
            "classify_overhead_p50_ms",
            "Non-embedding work of one statement p50",
            noemb,
            "ms",
            note="service.classify with the embedding cached",
        ),
        Figure(
            "classify_overhead_1t_p50_ms",
            "  same, in a process with OPENBLAS_NUM_THREADS=1 (what-if)",
            noemb_1t,
            "ms",
            note="fresh process over a copy of the index; see profiling notes",
        ),
        Figure(
            "after_embed_overhead_p50_ms",
            "Non-embedding work right after an embedding p50",
            probe["after_embed"]["p50_ms"],
            "ms",
            note=f"Classifier.classify, embedding given, timed straight after embed(); {PROBE_ROUNDS} rounds",
        ),
        Figure(
            "after_embed_overhead_1t_p50_ms",
            "  same, in a process with OPENBLAS_NUM_THREADS=1 (what-if)",
            probe1["after_embed"]["p50_ms"] if probe1 else None,
            "ms",
        ),
        Figure(
            "classify_embed_ratio_1t_p50",
            "Classify / embed ratio of p50s, OPENBLAS_NUM_THREADS=1 (what-if)",
            round(probe1["ratio_p50"], 2) if probe1 else None,
            "×",
            note=f"{PROBE_ROUNDS} interleaved rounds in that process; same ratio in this process "
            f"over those rounds: {probe['ratio_p50']:.2f}×",
        ),
        Figure(
            "batch_per_s",
            "Batch classification throughput (classify_many)",
            round(b["per_second"], 1),
            "statements/s",
            target=f"≥ {BATCH_TARGET:.0f}/s",
            ok=b["per_second"] >= BATCH_TARGET,
            note=f"{BATCH_N} distinct statements, {CHUNK} per call",
        ),
        Figure(
            "batch_embed_only_per_s",
            "Embedding alone, same batch size",
            round(b["embed_only_per_second"], 1),
            "statements/s",
            note="interleaved with the above; ceiling for classify_many",
        ),
        Figure(
            "batch_overhead_ms",
            "Batch: non-embedding work per statement (classify_many, embeddings cached)",
            round(details["batch_overhead"]["ms_per_stmt"], 3),
            "ms",
            note=f"≈ {details['batch_overhead']['per_second_ceiling']:,.0f} statements/s without embedding",
        ),
        Figure(
            "train_s",
            "Classifier training (cold, no cached model)",
            round(details["train_all_s"], 2),
            "s",
            note=f"{details['training_examples']} examples",
        ),
        Figure(
            "dev_accuracy",
            "Accuracy, held-out dev split",
            round(dev_acc, 1),
            "%",
            target=f"≥ {DEV_TARGET:.0f} %",
            ok=dev_acc >= DEV_TARGET,
            note=f"n={dev_report.n}, trained on the train split only",
        ),
        Figure("dev_macro_f1", "Macro-F1, dev split", round(100 * dev_report.macro_f1, 1), "%"),
        Figure(
            "alt_accuracy",
            "Accuracy, alt-angle set",
            round(alt_acc, 1),
            "%",
            note=f"n={alt_report.n}, bench/data/alt-angle.jsonl; {overlap} texts also in knowledge/",
        ),
        Figure("alt_macro_f1", "Macro-F1, alt-angle set", round(100 * alt_report.macro_f1, 1), "%"),
        Figure(
            "alt_accuracy_train_model",
            "Accuracy, alt-angle set, train-split model",
            round(100 * alt_train_report.accuracy, 1),
            "%",
        ),
        Figure(
            "dev_ece",
            "Calibration error (ECE), dev split",
            dev_report.ece,
            "",
            target=f"≤ {ECE_TARGET}",
            ok=dev_report.ece <= ECE_TARGET,
        ),
        Figure(
            "alt_ece",
            "Calibration error (ECE), alt-angle set",
            alt_report.ece,
            "",
            target=f"≤ {ECE_TARGET}",
            ok=alt_report.ece <= ECE_TARGET,
        ),
        Figure(
            "holdout_accuracy",
            "Accuracy, real-world hold-out (source labels)",
            round(100 * hold_report.accuracy, 1),
            "%",
            target=f"≥ {HOLDOUT_TARGET:.0f} %",
            ok=100 * hold_report.accuracy >= HOLDOUT_TARGET,
            note=f"n={hold_report.n}, bench/data/realworld-holdout.jsonl, {len(by_source)} sources; {hold_overlap} texts also in knowledge/",
        ),
        Figure(
            "holdout_accuracy_rule",
            "Accuracy, real-world hold-out (our labelling rule)",
            round(100 * (hold_report.accuracy_by_rule or hold_report.accuracy), 1),
            "%",
            target=f"≥ {HOLDOUT_TARGET:.0f} %",
            ok=100 * (hold_report.accuracy_by_rule or hold_report.accuracy) >= HOLDOUT_TARGET,
            note=f"the source and the rule differ on {hold_report.rule_disagreements} statements",
        ),
        Figure("holdout_macro_f1", "Macro-F1, real-world hold-out", round(100 * hold_report.macro_f1, 1), "%"),
        Figure(
            "holdout_ece",
            "Calibration error (ECE), real-world hold-out",
            hold_report.ece,
            "",
            target=f"≤ {ECE_TARGET}",
            ok=hold_report.ece <= ECE_TARGET,
        ),
        Figure(
            "holdout_conf_right_wrong",
            "Mean confidence right / wrong, real-world hold-out",
            f"{hold_report.mean_confidence_right:.2f} / {hold_report.mean_confidence_wrong:.2f}",
            "",
        ),
        Figure(
            "holdout_accuracy_train_model",
            "Accuracy, real-world hold-out, train-split model",
            round(100 * hold_train_report.accuracy, 1),
            "%",
        ),
        Figure(
            "holdout_keyword_baseline",
            "Baseline (hold-out): keyword rules",
            round(baselines["realworld_holdout"]["keyword_rules"], 1),
            "%",
        ),
        Figure(
            "holdout_lr100_baseline",
            "Baseline (hold-out): logistic regression on 100 examples",
            round(baselines["realworld_holdout"]["logreg_100_examples_mean_of_5"], 1),
            "%",
        ),
        Figure(
            "language_identifier_share",
            "Share of statements the language identifier runs on",
            round(100 * stg["_language_identifier_share"], 1),
            "%",
            note="the cheap check lets the rest through",
        ),
        Figure(
            "alt_keyword_baseline",
            "Baseline (alt-angle): keyword rules",
            round(alt_b["keyword_rules"], 1),
            "%",
            note=f"{len(PRODUCTION_VERBS)} production verbs → output, else outcome",
        ),
        Figure(
            "alt_zero_shot_baseline",
            "Baseline (alt-angle): zero-shot similarity to label descriptions",
            round(alt_b["zero_shot_similarity"], 1),
            "%",
            note="same embedding model",
        ),
        Figure(
            "alt_lr100_baseline",
            "Baseline (alt-angle): logistic regression on 100 examples",
            round(alt_b["logreg_100_examples_mean_of_5"], 1),
            "%",
            note="embeddings only, mean of 5 samples",
        ),
        Figure("peak_rss_mb", "Peak RSS of the benchmark process", details["peak_rss_mb"], "MiB"),
        load_figure(loads),
    ]
    path = write_results(NAME, figures, details, started)
    print_table("Classifier: speed, accuracy, baselines", figures)
    print("\nNon-embedding stages of one statement (p50 ms):")
    print(f"  {'stage':<66} {'default':>8} {'1 BLAS thread':>14}")
    for name, lat in stg.items():
        if not name.startswith("_"):
            one = stg1.get(name, {}).get("p50_ms") if stg1 else None
            print(f"  {name:<66} {lat['p50_ms']:8.3f} {one if one is not None else float('nan'):14.3f}")
    print(
        f"  (memory rows: {stg['_memory_rows']}; hand-rolled tf-idf max |diff| {stg['_fast_tfidf_max_abs_diff']:.2e})"
    )
    print("\nTop cumulative costs of service.classify, embedding cached (ms per statement, under cProfile):")
    for row in details["profile"]["top_cumulative"][:18]:
        print(f"  {row['cum_ms_per_stmt']:8.3f}  {row['where']}")
    print(f"\nresults: {path.relative_to(REPO)}, {(RESULTS / 'classifier_profile.txt').relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--stages":
        raise SystemExit(_stages_main(*sys.argv[2:5]))
    raise SystemExit(main())
