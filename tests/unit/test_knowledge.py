"""The curated knowledge base: it validates, meets the issue's minimums, and bad files fail clearly."""

from __future__ import annotations

import json
import textwrap
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

from coach.config import DEFAULT_KNOWLEDGE
from coach.errors import KnowledgeError
from coach.knowledge import (
    GuidanceDoc,
    SourceFile,
    load_examples,
    load_measures,
    read_jsonl_labelled,
    scan,
    split_of,
)

ISSUE_MEASURE_DOMAINS = {
    "it-service-management",
    "software-product",
    "customer-support",
    "hr-learning",
    "sales-marketing",
    "finance",
    "health",
    "education",
    "social-services",
    "public-sector",
    "environment",
    "operations",
}


@pytest.fixture(scope="module")
def files() -> list[SourceFile]:
    return scan([DEFAULT_KNOWLEDGE], DEFAULT_KNOWLEDGE)


def _of(files: list[SourceFile], kind: str) -> list:
    return [item for f in files if f.kind == kind for item in f.items]


# ----- the real knowledge base -------------------------------------------------------------------------


def test_every_file_validates_and_keys_are_stable(files: list[SourceFile]) -> None:
    kinds = Counter(f.kind for f in files)
    assert set(kinds) == {"guidance", "measures", "examples", "questions"}
    for f in files:
        assert f.key.startswith("knowledge/"), f.key
        assert len(f.hash) == 16
    assert len({f.key for f in files}) == len(files)
    # Scanning twice gives the same keys and hashes (what idempotent ingest relies on).
    again = scan([DEFAULT_KNOWLEDGE], DEFAULT_KNOWLEDGE)
    assert [(f.key, f.hash) for f in again] == [(f.key, f.hash) for f in files]


def test_at_least_25_guidance_docs_with_front_matter(files: list[SourceFile]) -> None:
    docs: list[GuidanceDoc] = _of(files, "guidance")
    assert len(docs) >= 25
    ids = [d.meta.id for d in docs]
    assert len(set(ids)) == len(ids), "guidance ids must be unique"
    for d in docs:
        raw = d.path.read_text("utf-8")
        front = yaml.safe_load(raw[3 : raw.find("\n---", 3)])
        for key in ("id", "title", "sources", "tags", "audience"):
            assert front.get(key), f"{d.path.name}: front matter lacks {key}"
        assert d.meta.sources and all(s.strip() for s in d.meta.sources)
        assert d.meta.tags and d.meta.audience
        assert len(d.body.split()) >= 150, f"{d.path.name} is too thin to cite"
        assert "## " in d.body, f"{d.path.name} has no sections to cite"


def test_guidance_covers_the_topics_the_issue_lists(files: list[SourceFile]) -> None:
    ids = {d.meta.id for d in _of(files, "guidance")}
    for needed in (
        "definitions",
        "logic-models",
        "itil4-value",
        "it-business-terms",
        "social-sector-outcomes",
        "okrs-key-results",
        "outcomes-over-output",
        "impact-mapping",
        "training-evaluation",
        "measure-design",
        "perverse-incentives",
        "coaching-laddering",
        "running-a-workshop",
    ):
        assert needed in ids
    primers = {i.removeprefix("primer-") for i in ids if i.startswith("primer-")}
    assert primers >= ISSUE_MEASURE_DOMAINS, ISSUE_MEASURE_DOMAINS - primers


def test_measure_library_meets_the_minimums(files: list[SourceFile]) -> None:
    measures = _of(files, "measures")
    assert len(measures) >= 150
    ids = [m.id for m in measures]
    assert len(set(ids)) == len(ids), "measure ids must be unique"
    by_domain: dict[str, set[str]] = defaultdict(set)
    for m in measures:
        by_domain[m.domain].add(m.kind)
        assert m.direction in ("increase", "decrease")
        assert m.data_sources and m.outcome_themes
        for field in ("name", "definition", "calculation", "unit", "cadence", "gaming_risk", "balancing_measure"):
            assert getattr(m, field).strip(), f"{m.id}: empty {field}"
    assert len(by_domain) >= 10
    assert len(set(by_domain) & ISSUE_MEASURE_DOMAINS) >= 10, sorted(by_domain)
    for domain, kinds in by_domain.items():
        assert kinds == {"leading", "lagging"}, f"{domain} needs both a leading and a lagging measure"
    assert load_measures([DEFAULT_KNOWLEDGE]) == measures


def test_examples_meet_the_minimums_and_are_balanced(files: list[SourceFile]) -> None:
    examples = [e for e in _of(files, "examples") if e.label != "none"]  # statements; `none` is not one
    assert len(examples) >= 600
    labels = Counter(e.label for e in examples)
    share = labels["outcome"] / len(examples)
    assert 0.45 <= share <= 0.55, labels
    domains = Counter(e.domain for e in examples)
    assert len(domains) >= 12
    for domain, _n in domains.items():
        per = Counter(e.label for e in examples if e.domain == domain)
        assert per["output"] and per["outcome"], f"{domain} has only one class"
    texts = [" ".join(e.text.lower().split()) for e in examples]
    dupes = [t for t, n in Counter(texts).items() if n > 1]
    assert not dupes, f"duplicated examples: {dupes[:5]}"
    for e in examples:
        assert e.reason.strip(), f"example without a reason: {e.text}"
    assert [e for e in load_examples([DEFAULT_KNOWLEDGE]) if e.label != "none"] == examples


def test_examples_have_the_phrasing_variety_the_issue_asks_for(files: list[SourceFile]) -> None:
    examples = _of(files, "examples")
    lower = [(e.text.lower(), e.label) for e in examples]
    assert any(t.startswith(("# of", "number of")) for t, lab in lower if lab == "output")
    assert any(t.startswith("% of") or "% of" in t for t, _ in lower)
    assert any("increase the number of" in t for t, lab in lower if lab == "output")
    assert any(len(t.split()) <= 4 for t, lab in lower if lab == "outcome")
    assert any(len(t.split()) <= 4 for t, lab in lower if lab == "output")
    assert any(not any(ch.isdigit() for ch in t) for t, lab in lower if lab == "outcome")


def test_dev_split_is_stable_and_about_a_fifth(files: list[SourceFile]) -> None:
    examples = _of(files, "examples")
    splits = Counter(e.resolved_split for e in examples)
    assert set(splits) == {"train", "dev"}
    share = splits["dev"] / len(examples)
    assert 0.15 <= share <= 0.25, splits
    dev = [e for e in examples if e.resolved_split == "dev"]
    dev_labels = Counter(e.label for e in dev if e.label != "none")
    assert min(dev_labels.values()) / sum(dev_labels.values()) >= 0.4, "the dev split must hold both classes"


def test_split_of_depends_only_on_the_text() -> None:
    texts = [f"Statement number {i} about the team's work" for i in range(2000)]
    first = [split_of(t) for t in texts]
    assert first == [split_of(t) for t in texts]
    # Case and surrounding space do not move a statement between halves.
    assert first == [split_of("  " + t.upper() + "\n") for t in texts]
    share = first.count("dev") / len(first)
    assert 0.17 <= share <= 0.23
    # An explicit split wins; anything else is ignored.
    t = texts[0]
    assert split_of(t, "dev") == "dev"
    assert split_of(t, "train") == "train"
    assert split_of(t, "test") == split_of(t)


def test_explicit_split_field_is_honoured(tmp_path: Path) -> None:
    p = tmp_path / "e.jsonl"
    rows = [
        {"text": "Hire 5 nurses", "label": "output", "split": "dev"},
        {"text": "Hire 5 nurses", "label": "output", "split": "train"},
        {"text": "Hire 5 nurses", "label": "output"},
    ]
    p.write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
    got = [e.resolved_split for e in read_jsonl_labelled(p)]
    assert got == ["dev", "train", split_of("Hire 5 nurses")]


def test_every_guidance_section_has_a_few_questions(files: list[SourceFile]) -> None:
    from coach.ingest import check_questions, sections

    check_questions(files)  # every question names a document and a section that exist
    asked = {(q.doc_id, q.section): q.questions for f in files if f.kind == "questions" for q in f.items}
    for doc in _of(files, "guidance"):
        for name, _ in sections(doc):
            got = asked.get((doc.meta.id, name), [])
            assert 3 <= len(got) <= 6, f"{doc.meta.id} › {name}: {len(got)} questions"
            assert len(set(got)) == len(got), f"{doc.meta.id} › {name}: a question is repeated"


# ----- malformed input: one clear message naming file and line -------------------------------------------

GOOD_DOC = textwrap.dedent(
    """\
    ---
    id: org-doc
    title: Our own guidance
    sources:
      - "Internal handbook (2024)"
    tags: [org]
    audience: [everyone]
    ---

    # Our own guidance

    ## A section

    Outcomes are changes for the people we serve.
    """
)

GOOD_MEASURE = {
    "id": "org-m1",
    "name": "Repeat contacts",
    "definition": "Customers who contact us again",
    "calculation": "repeat / all",
    "unit": "percent",
    "direction": "decrease",
    "kind": "lagging",
    "who": "customers",
    "data_sources": ["CRM"],
    "data_owner": "support lead",
    "cadence": "monthly",
    "outcome_themes": ["less effort"],
    "gaming_risk": "merging tickets",
    "balancing_measure": "CSAT",
}


def _kb(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")
    return root


def _error(root: Path) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as info:
        scan([root])
    return info.value


def test_a_small_valid_folder_scans(tmp_path: Path) -> None:
    root = _kb(
        tmp_path,
        {
            "guidance/org.md": GOOD_DOC,
            "measures/org.yaml": yaml.safe_dump({"domain": "support", "measures": [GOOD_MEASURE]}),
            "examples/org.jsonl": '{"text": "Hire 5 nurses", "label": "output", "domain": "health"}\n',
        },
    )
    got = scan([root])
    assert sorted(f.kind for f in got) == ["examples", "guidance", "measures"]
    assert {f.key for f in got} == {
        f"{root.resolve().as_posix()}/{r}" for r in ("guidance/org.md", "measures/org.yaml", "examples/org.jsonl")
    }


def test_front_matter_that_is_not_yaml_names_file_and_line(tmp_path: Path) -> None:
    bad = GOOD_DOC.replace("title: Our own guidance", "title: Our: own: guidance")
    root = _kb(tmp_path, {"guidance/bad.md": bad})
    err = _error(root)
    line = bad.splitlines().index("title: Our: own: guidance") + 1
    assert "bad.md" in err.message
    assert f"line {line}:" in err.message
    assert "YAML" in err.message
    assert err.hint


def test_front_matter_with_a_tab_names_the_right_line(tmp_path: Path) -> None:
    bad = GOOD_DOC.replace('  - "Internal handbook (2024)"', '\t- "Internal handbook (2024)"')
    root = _kb(tmp_path, {"guidance/tabbed.md": bad})
    err = _error(root)
    line = bad.splitlines().index('\t- "Internal handbook (2024)"') + 1
    assert "tabbed.md" in err.message and f"line {line}:" in err.message


def test_missing_front_matter_field_is_named(tmp_path: Path) -> None:
    bad = GOOD_DOC.replace('sources:\n  - "Internal handbook (2024)"\n', "")
    root = _kb(tmp_path, {"guidance/nosources.md": bad})
    err = _error(root)
    assert "nosources.md" in err.message
    assert "line " in err.message
    assert "'sources'" in err.message


def test_missing_front_matter_altogether(tmp_path: Path) -> None:
    root = _kb(tmp_path, {"guidance/plain.md": "# Just a heading\n\nSome text.\n"})
    err = _error(root)
    assert "plain.md, line 1:" in err.message
    assert "front matter" in err.message


def test_front_matter_without_body(tmp_path: Path) -> None:
    root = _kb(tmp_path, {"guidance/empty.md": GOOD_DOC.split("# Our own guidance")[0]})
    err = _error(root)
    assert "empty.md" in err.message and "no body" in err.message


def test_measure_missing_a_field_names_file_line_measure_and_field(tmp_path: Path) -> None:
    second = {k: v for k, v in GOOD_MEASURE.items() if k != "unit"} | {"id": "org-m2"}
    text = yaml.safe_dump({"domain": "support", "measures": [GOOD_MEASURE, second]}, sort_keys=False)
    root = _kb(tmp_path, {"measures/org.yaml": text})
    err = _error(root)
    line = text.splitlines().index("- id: org-m2") + 1
    assert f"org.yaml, line {line}:" in err.message
    assert "org-m2" in err.message and "'unit'" in err.message and "missing" in err.message


def test_measure_with_an_invalid_value(tmp_path: Path) -> None:
    bad = GOOD_MEASURE | {"kind": "sometimes"}
    text = yaml.safe_dump({"domain": "support", "measures": [bad]}, sort_keys=False)
    root = _kb(tmp_path, {"measures/org.yaml": text})
    err = _error(root)
    assert "org.yaml, line 3:" in err.message and "'kind'" in err.message


def test_measures_file_that_is_not_yaml(tmp_path: Path) -> None:
    root = _kb(tmp_path, {"measures/broken.yaml": "domain: x\nmeasures:\n  - id: a\n   name: b\n"})
    err = _error(root)
    assert "broken.yaml, line " in err.message and "YAML" in err.message


def test_jsonl_line_that_is_not_json(tmp_path: Path) -> None:
    text = '{"text": "Hire 5 nurses", "label": "output"}\n\n{"text": "Patients wait less", "label": "outcome"\n'
    root = _kb(tmp_path, {"examples/org.jsonl": text})
    err = _error(root)
    assert "org.jsonl, line 3:" in err.message
    assert "JSON" in err.message


def test_jsonl_unknown_label(tmp_path: Path) -> None:
    text = '{"text": "Hire 5 nurses", "label": "output"}\n{"text": "Patients wait less", "label": "impact"}\n'
    root = _kb(tmp_path, {"examples/org.jsonl": text})
    err = _error(root)
    assert "org.jsonl, line 2:" in err.message
    assert "'impact'" in err.message and "output" in err.message and "outcome" in err.message


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ('["Hire 5 nurses", "output"]', "JSON object"),
        ('{"label": "output"}', "'text'"),
        ('{"text": "", "label": "output"}', "'text'"),
    ],
)
def test_jsonl_other_bad_lines(tmp_path: Path, line: str, needle: str) -> None:
    root = _kb(tmp_path, {"examples/org.jsonl": '{"text": "Hire 5 nurses", "label": "output"}\n' + line + "\n"})
    err = _error(root)
    assert "org.jsonl, line 2:" in err.message and needle in err.message


def test_duplicate_guidance_id_across_files(tmp_path: Path) -> None:
    root = _kb(tmp_path, {"guidance/a.md": GOOD_DOC, "guidance/b.md": GOOD_DOC})
    err = _error(root)
    assert "org-doc" in err.message and "already used" in err.message


def _ingest_error(root: Path) -> KnowledgeError:
    from coach.adapters.fakes import HashEmbedder, InMemoryIndex
    from coach.ingest import ingest

    index = InMemoryIndex(HashEmbedder())
    with pytest.raises(KnowledgeError) as info:
        ingest(index, [root])
    assert all(index.count(k) == 0 for k in ("guidance", "questions"))  # nothing written
    return info.value


def _questions(body: str) -> str:
    return "# what each section answers\ndoc: org-doc\nsections:\n" + textwrap.indent(textwrap.dedent(body), "  ")


def test_section_questions_for_a_section_that_does_not_exist_name_file_and_line(tmp_path: Path) -> None:
    bad = _questions(
        """\
        "A section":
          - What are outcomes?
        "A section that was renamed":
          - What changed?
        """
    )
    root = _kb(tmp_path, {"guidance/org.md": GOOD_DOC, "questions/org.yaml": bad})
    err = _ingest_error(root)
    assert "org.yaml, line 6" in err.message and "no section 'A section that was renamed'" in err.message
    assert "'A section'" in err.hint  # the sections that do exist


def test_section_questions_for_an_unknown_document(tmp_path: Path) -> None:
    bad = _questions('"A section":\n  - What are outcomes?\n').replace("org-doc", "no-such-doc")
    err = _ingest_error(_kb(tmp_path, {"guidance/org.md": GOOD_DOC, "questions/org.yaml": bad}))
    assert "org.yaml, line 1" in err.message and "no guidance document with id 'no-such-doc'" in err.message


@pytest.mark.parametrize(
    ("body", "needle", "line"),
    [
        ('"A section": []\n', "give a list of questions", 4),
        ('"A section": What are outcomes?\n', "give a list of questions", 4),
        ('"A section":\n  - ""\n', "each question must be text", 4),
        ('"A section":\n' + "".join(f"  - Question {i}?\n" for i in range(9)), "9 questions, at most 8", 4),
    ],
)
def test_malformed_section_questions(tmp_path: Path, body: str, needle: str, line: int) -> None:
    root = _kb(tmp_path, {"guidance/org.md": GOOD_DOC, "questions/org.yaml": _questions(body)})
    err = _error(root)
    assert f"org.yaml, line {line}" in err.message and needle in err.message


def test_section_questions_need_doc_and_sections(tmp_path: Path) -> None:
    root = _kb(tmp_path, {"guidance/org.md": GOOD_DOC, "questions/org.yaml": "sections: {}\n"})
    assert "expected a mapping with 'doc'" in _error(root).message


def test_valid_section_questions_are_indexed_as_keys_of_their_section(tmp_path: Path) -> None:
    from coach.adapters.fakes import HashEmbedder, InMemoryIndex
    from coach.ingest import ingest

    good = _questions('"A section":\n  - What are outcomes?\n  - Who do outcomes change things for?\n')
    root = _kb(tmp_path, {"guidance/org.md": GOOD_DOC, "questions/org.yaml": good})
    index = InMemoryIndex(HashEmbedder())
    report = ingest(index, [root])
    assert report.counts["questions"] == 2
    snap = index.snapshot("questions")
    assert snap.documents == ["What are outcomes?", "Who do outcomes change things for?"]
    assert {(m["doc_id"], m["section"]) for m in snap.metadatas} == {("org-doc", "A section")}
    assert ingest(index, [root]).noop  # unchanged files are not embedded again


def test_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "examples" / "latin1.jsonl"
    p.parent.mkdir(parents=True)
    p.write_bytes('{"text": "Caf\u00e9 opened", "label": "output"}\n'.encode("latin-1"))
    err = _error(tmp_path)
    assert "latin1.jsonl" in err.message and "UTF-8" in err.message


def test_missing_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError) as info:
        scan([tmp_path / "nope"])
    assert "not found" in info.value.message
    (tmp_path / "empty").mkdir()
    with pytest.raises(KnowledgeError) as info:
        scan([tmp_path / "empty"])
    assert "No knowledge files" in info.value.message


def test_read_jsonl_labelled_errors(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError) as info:
        read_jsonl_labelled(tmp_path / "missing.jsonl")
    assert "not found" in info.value.message
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": "output"}\nnot json\n', "utf-8")
    with pytest.raises(KnowledgeError) as info:
        read_jsonl_labelled(bad)
    assert "bad.jsonl, line 2:" in info.value.message
