"""Ingest with the real packaged model: idempotent, incremental, validated before writing, extra org folders,
a real Chroma server, and not a byte to the network."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from api.container import build_service
from coach.config import DEFAULT_KNOWLEDGE
from coach.domain import KINDS
from coach.errors import KnowledgeError

pytestmark = pytest.mark.integration

SMALL_KB = {
    "guidance": ["definitions.md", "perverse-incentives.md", "okrs-key-results.md", "training-evaluation.md"],
    "measures": ["finance.yaml"],
    "examples": ["finance.jsonl", "health.jsonl"],
    "questions": ["definitions.yaml", "perverse-incentives.yaml", "okrs-key-results.yaml", "training-evaluation.yaml"],
}


def _copy_small_kb(root: Path) -> Path:
    for kind, names in SMALL_KB.items():
        (root / kind).mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.copy(DEFAULT_KNOWLEDGE / kind / name, root / kind / name)
    return root


@pytest.fixture
def small(tmp_path: Path, real_settings: Any, real_service: Any) -> Any:
    """A service over a copy of part of the knowledge base, sharing the session's loaded model."""
    kb = _copy_small_kb(tmp_path / "kb")
    settings = real_settings.model_copy(update={"data_dir": tmp_path / "data", "knowledge_dir": kb})
    svc = build_service(settings, embedder=real_service.embedder)
    svc.ingest()
    return svc


def _contents(svc: Any, kind: str) -> dict[str, tuple[str, str, str, tuple[float, ...]]]:
    got = svc.index.collection(kind).get(include=["documents", "metadatas", "embeddings"])
    return {
        pid: (doc, str(meta["source"]), str(meta["file_hash"]), tuple(round(float(x), 6) for x in emb))
        for pid, doc, meta, emb in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True)
    }


def _counts(svc: Any) -> dict[str, int]:
    return {k: svc.index.count(k) for k in KINDS}


# ----- idempotence -----------------------------------------------------------------------------------------


def test_second_ingest_of_the_real_knowledge_base_is_a_noop(real_service: Any) -> None:
    before = _counts(real_service)
    ids_before = {k: sorted(real_service.index.snapshot(k).ids) for k in KINDS}
    report = real_service.ingest()
    assert report.noop
    assert report.changed == [] and report.removed == []
    assert report.chunks_added == 0
    assert report.unchanged == report.files > 0
    assert report.counts == before
    assert {k: sorted(real_service.index.snapshot(k).ids) for k in KINDS} == ids_before
    assert all(before[k] > 0 for k in KINDS)


def test_first_ingest_counts_match_the_knowledge_files(small: Any) -> None:
    from coach.knowledge import scan

    files = scan([small.settings.knowledge_dir], small.settings.knowledge_dir)
    n_examples = sum(len(f.items) for f in files if f.kind == "examples")
    n_measures = sum(len(f.items) for f in files if f.kind == "measures")
    assert small.index.count("examples") == n_examples
    assert small.index.count("measures") == n_measures
    sources = small.index.sources("guidance")
    assert set(sources) == {f"knowledge/guidance/{n}" for n in SMALL_KB["guidance"]}
    assert small.index.embedder_of("guidance") == small.embedder.name


# ----- incremental changes ---------------------------------------------------------------------------------


def test_editing_one_guidance_file_replaces_only_its_chunks(small: Any) -> None:
    key = "knowledge/guidance/definitions.md"
    before = {k: _contents(small, k) for k in KINDS}
    path = small.settings.knowledge_dir / "guidance" / "definitions.md"
    old_sentence = "would anyone outside the team necessarily be better off?"
    text = path.read_text("utf-8")
    assert old_sentence in text
    new_sentence = "Zebras in the finance team count their outcomes in stripes per quarter."
    path.write_text(
        text.replace(old_sentence, "does the zebra test pass?").replace(
            "## Worked examples", f"## The zebra note\n\n{new_sentence}\n\n## Worked examples"
        ),
        "utf-8",
    )

    report = small.ingest()
    assert report.changed == [key]
    assert report.removed == []
    after = {k: _contents(small, k) for k in KINDS}

    assert after["measures"] == before["measures"]
    assert after["examples"] == before["examples"]
    untouched_before = {i: v for i, v in before["guidance"].items() if v[1] != key}
    untouched_after = {i: v for i, v in after["guidance"].items() if v[1] != key}
    assert untouched_after == untouched_before  # same ids, text, hash and vectors

    mine = [v for v in after["guidance"].values() if v[1] == key]
    assert mine
    assert len({v[2] for v in mine}) == 1 and mine[0][2] != next(
        v[2] for v in before["guidance"].values() if v[1] == key
    )
    joined = "\n".join(v[0] for v in mine)
    assert new_sentence in joined
    assert old_sentence not in joined
    hits = small.search("zebras counting outcomes in stripes", k=1)
    assert hits[0].citation.doc_id == "definitions"
    assert hits[0].citation.section == "The zebra note"
    # And a third run is a no-op again.
    assert small.ingest().noop


def test_deleting_a_file_removes_its_chunks(small: Any) -> None:
    key = "knowledge/guidance/perverse-incentives.md"
    before = _contents(small, "guidance")
    n_mine = sum(1 for v in before.values() if v[1] == key)
    assert n_mine > 0
    (small.settings.knowledge_dir / "guidance" / "perverse-incentives.md").unlink()
    with pytest.raises(KnowledgeError) as info:  # its section questions would find nothing
        small.ingest()
    assert "perverse-incentives.yaml, line 1: no guidance document with id 'perverse-incentives'" in info.value.message
    assert _contents(small, "guidance") == before
    (small.settings.knowledge_dir / "questions" / "perverse-incentives.yaml").unlink()

    report = small.ingest()
    assert report.removed == [key, "knowledge/questions/perverse-incentives.yaml"]
    assert report.changed == []
    assert all(v[1] != "knowledge/questions/perverse-incentives.yaml" for v in _contents(small, "questions").values())
    after = _contents(small, "guidance")
    assert len(after) == len(before) - n_mine
    assert all(v[1] != key for v in after.values())
    assert after == {i: v for i, v in before.items() if v[1] != key}
    hits = small.search("rewarding staff for closing incident records", k=5)
    assert "perverse-incentives" not in {h.citation.doc_id for h in hits}


def test_deleting_an_examples_file_removes_its_examples_from_the_classifier(small: Any) -> None:
    health = (small.settings.knowledge_dir / "examples" / "health.jsonl").read_text("utf-8")
    a_health_text = json.loads(health.splitlines()[0])["text"]
    assert a_health_text in small.classifier().memory.texts
    (small.settings.knowledge_dir / "examples" / "health.jsonl").unlink()
    report = small.ingest()
    assert report.removed == ["knowledge/examples/health.jsonl"]
    assert a_health_text not in small.classifier().memory.texts  # retrained on the next use


BAD_FILES = [
    (
        "guidance/broken.md",
        "---\nid: broken\ntitle: Broken: doc: here\nsources: [x]\n---\n\n# Broken\n\nText.\n",
        "broken.md, line 3:",
    ),
    ("guidance/nofront.md", "# No front matter\n\nJust text.\n", "nofront.md, line 1:"),
    ("measures/bad.yaml", "domain: finance\nmeasures:\n  - id: half-a-measure\n    name: Half\n", "bad.yaml, line 3:"),
    ("examples/bad.jsonl", '{"text": "Hire 5 nurses", "label": "output"}\n{"text": oops}\n', "bad.jsonl, line 2:"),
    ("examples/label.jsonl", '{"text": "Hire 5 nurses", "label": "outputs"}\n', "label.jsonl, line 1:"),
    (
        "questions/renamed.yaml",
        'doc: definitions\nsections:\n  "The six terms":\n    - What?\n',
        "renamed.yaml, line 3:",
    ),
]


def test_malformed_files_fail_clearly_and_leave_the_index_untouched(small: Any) -> None:
    kb = small.settings.knowledge_dir
    # A valid edit sits next to each broken file: it must not be written either.
    guidance = kb / "guidance" / "okrs-key-results.md"
    guidance.write_text(guidance.read_text("utf-8") + "\n## Extra\n\nA valid new paragraph.\n", "utf-8")
    before = {k: _contents(small, k) for k in KINDS}
    for rel, text, where in BAD_FILES:
        bad = kb / rel
        bad.write_text(text, "utf-8")
        with pytest.raises(KnowledgeError) as info:
            small.ingest()
        assert where in info.value.message, (rel, info.value.message)
        assert info.value.hint
        assert {k: _contents(small, k) for k in KINDS} == before, f"index changed by a failed ingest ({rel})"
        bad.unlink()
    # With the broken files gone, the valid edit goes in.
    report = small.ingest()
    assert report.changed == ["knowledge/guidance/okrs-key-results.md"]


# ----- an organisation's own folder ---------------------------------------------------------------------

ORG_DOC = """\
---
id: acme-handbook
title: Acme's outcome handbook
sources:
  - "Acme internal handbook (2025)"
tags: [org]
audience: [everyone]
---

# Acme's outcome handbook

## Quokka rule

At Acme every quokka-themed release must name the customer behaviour it changes.
"""
ORG_EXAMPLES = [
    ("Print 400 quokka stickers for the Acme stand", "output"),
    ("Acme resellers reorder quokka kits without a sales call", "outcome"),
    ("Run the Acme quokka roadshow in six cities", "output"),
    ("Acme customers recommend the quokka app to friends", "outcome"),
]


def _org(root: Path) -> Path:
    (root / "guidance").mkdir(parents=True)
    (root / "examples").mkdir()
    (root / "guidance" / "acme.md").write_text(ORG_DOC, "utf-8")
    (root / "examples" / "acme.jsonl").write_text(
        "\n".join(f'{{"text": "{t}", "label": "{lab}", "domain": "acme"}}' for t, lab in ORG_EXAMPLES) + "\n",
        "utf-8",
    )
    return root


def test_extra_org_folder_is_added_remembered_and_forgotten(small: Any, real_service: Any, tmp_path: Path) -> None:
    org = _org(tmp_path / "acme")
    base = _counts(small)
    report = small.ingest(extra=[org])
    assert sorted(report.changed) == sorted(
        [f"{org.resolve().as_posix()}/guidance/acme.md", f"{org.resolve().as_posix()}/examples/acme.jsonl"]
    )
    after = _counts(small)
    assert after["examples"] == base["examples"] + len(ORG_EXAMPLES)
    assert after["guidance"] > base["guidance"]
    assert after["measures"] == base["measures"]
    hit = small.search("quokka-themed release customer behaviour", k=1)[0]
    assert hit.citation.doc_id == "acme-handbook"
    assert hit.citation.sources == ["Acme internal handbook (2025)"]
    memory = small.classifier().memory
    for text, label in ORG_EXAMPLES:
        assert memory.labels[memory.texts.index(text)] == label

    # Remembered: a later plain ingest (even from a new process) keeps the folder.
    later = build_service(small.settings, embedder=real_service.embedder)
    assert later.knowledge_roots()[-1].resolve() == org.resolve()
    report = later.ingest()
    assert report.noop
    assert _counts(later) == after

    # --forget drops it again.
    report = later.ingest(forget=[org])
    assert len(report.removed) == 2
    assert _counts(later) == base
    assert later.registry.load() == []
    assert not any(t in later.classifier().memory.texts for t, _ in ORG_EXAMPLES)


def test_extra_folder_that_does_not_exist(small: Any, tmp_path: Path) -> None:
    before = _counts(small)
    with pytest.raises(KnowledgeError) as info:
        small.ingest(extra=[tmp_path / "missing"])
    assert "not found" in info.value.message
    assert _counts(small) == before
    assert small.registry.load() == []


# ----- nothing reaches the network ---------------------------------------------------------------------


def _on_fresh_socket(method: str, address: tuple[str, int]) -> Any:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return getattr(s, method)(address)


def test_socket_guard_blocks_everything_but_loopback(socket_guard: list[str]) -> None:
    n = len(socket_guard)
    for attempt in (
        lambda: socket.create_connection(("203.0.113.7", 80), timeout=1),
        lambda: socket.create_connection(("huggingface.co", 443), timeout=1),
        lambda: _on_fresh_socket("connect", ("198.51.100.1", 443)),
        lambda: _on_fresh_socket("connect_ex", ("192.0.2.1", 8000)),
    ):
        with pytest.raises(RuntimeError, match=r"Network access blocked.*attempted connection to "):
            attempt()
    assert socket_guard[n:] == ["203.0.113.7:80", "huggingface.co:443", "198.51.100.1:443", "192.0.2.1:8000"]

    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
    finally:
        server.close()
    del socket_guard[n:]


def test_ingest_search_and_classify_touch_no_network(
    socket_guard: list[str], real_settings: Any, real_service: Any, tmp_path: Path
) -> None:
    n = len(socket_guard)
    kb = _copy_small_kb(tmp_path / "kb")
    settings = real_settings.model_copy(update={"data_dir": tmp_path / "data", "knowledge_dir": kb})
    svc = build_service(settings, embedder=real_service.embedder)
    assert not svc.ingest().noop
    assert svc.search("rewarding staff for closing incident records", k=3)
    assert svc.classify("We closed 500 incident records")
    assert real_service.search("key results as outcomes", k=3)
    assert socket_guard[n:] == []
    assert os.environ["HF_HUB_OFFLINE"] == "1"


# ----- a real Chroma server on loopback ----------------------------------------------------------------


def _chroma_binary() -> str | None:
    beside = Path(sys.executable).parent / "chroma"
    return str(beside) if beside.exists() else shutil.which("chroma")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Any:
    binary = _chroma_binary()
    if binary is None:
        pytest.skip("the `chroma` command (from the chromadb package) is not installed in this environment")
    port = _free_port()
    log = (tmp_path / "chroma.log").open("wb")
    proc = subprocess.Popen(
        [binary, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"chroma run exited with {proc.returncode}: {(tmp_path / 'chroma.log').read_text()[-2000:]}"
                )
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("chroma run did not answer on loopback within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


def test_ingest_and_search_against_a_chroma_server(
    chroma_server: str, real_settings: Any, real_service: Any, tmp_path: Path
) -> None:
    kb = _copy_small_kb(tmp_path / "kb")
    settings = real_settings.model_copy(
        update={"data_dir": tmp_path / "data", "knowledge_dir": kb, "chroma_url": chroma_server}
    )
    svc = build_service(settings, embedder=real_service.embedder)
    assert svc.index.location == chroma_server
    report = svc.ingest()
    assert report.changed and report.counts["guidance"] > 0
    assert not (tmp_path / "data" / "chroma").exists() or not any((tmp_path / "data" / "chroma").iterdir())

    hits = svc.search("rewarding people for closing incident records", k=3)
    assert "perverse-incentives" in [h.citation.doc_id for h in hits]
    assert all(h.citation.sources for h in hits)
    measures = svc.search("days until budget holders get final figures", k=3, kind="measures")
    assert measures[0].kind == "measures"
    verdict = svc.classify("Process 12,000 supplier invoices a month")[0]
    assert verdict.label == "output"

    # The server keeps the index: a second client sees an up-to-date index.
    again = build_service(settings, embedder=real_service.embedder)
    assert again.ingest().noop
