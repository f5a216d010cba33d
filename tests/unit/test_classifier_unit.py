"""The classifier with the deterministic HashEmbedder: shape of a verdict, clarification, model cache,
corrections, and input hygiene (coach/text.py)."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import coach.model as model_mod
from api.container import build_service
from coach.adapters.embeddings import HashEmbedder
from coach.classifier import Classifier, FittedModel, GuidanceMemory, Hyper, Memory, TrainingSet, train_or_load
from coach.classifiers import ClassifierProvider
from coach.config import DEFAULT_KNOWLEDGE
from coach.cues import find_cues
from coach.domain import Citation, Classification, Statement
from coach.errors import InvalidInput
from coach.knowledge import load_examples
from coach.text import MAX_MESSAGE, MAX_STATEMENT, clean


def st(text: str) -> Statement:
    return Statement(text=text, start=0, end=len(text))


@pytest.fixture(scope="module")
def shared_fake(tmp_path_factory: pytest.TempPathFactory, hash_service_factory: Any) -> Any:
    """Read-only HashEmbedder service shared by this module's tests that do not change state."""
    return hash_service_factory(tmp_path_factory.mktemp("fake-shared"))


# ----- a tiny model, fitted in the test -----------------------------------------------------------------

TINY_TEXTS = [
    "Launch the portal",
    "Launch the app",
    "Publish the report",
    "Publish the plan",
    "Customers trust us",
    "Customers trust the brand",
    "Patients feel better",
    "Patients feel safe",
]
TINY_LABELS: list[Any] = ["output"] * 4 + ["outcome"] * 4


def tiny_classifier(clarify_below: float = 0.65, **kwargs: Any) -> Classifier:
    emb = HashEmbedder()
    vecs = emb.embed(TINY_TEXTS)
    data = TrainingSet(TINY_TEXTS, TINY_LABELS, vecs, [1.0] * len(TINY_TEXTS))
    model = FittedModel(Hyper(calibrate=False)).fit(data)
    memory = Memory(list(TINY_TEXTS), list(TINY_LABELS), ["tiny"] * len(TINY_TEXTS), vecs)
    return Classifier(emb, model, memory, None, clarify_below=clarify_below, **kwargs)


PROBES = [*TINY_TEXTS, "The weather was nice", "Customers publish", "Launch the brand", "Patients publish the plan"]


def test_tiny_model_learns_its_training_data() -> None:
    clf = tiny_classifier()
    got = clf.classify([st(t) for t in TINY_TEXTS])
    assert [c.label for c in got] == TINY_LABELS


def test_needs_clarification_exactly_when_confidence_is_below_the_threshold() -> None:
    clf = tiny_classifier(clarify_below=0.65)
    got = clf.classify([st(t) for t in PROBES])
    for c in got:
        assert c.needs_clarification == (c.confidence < 0.65), c
    flagged = {c.text for c in got if c.needs_clarification}
    # Text the tiny model has never seen anything like is uncertain: the coach should ask.
    assert "The weather was nice" in flagged
    assert not flagged & set(TINY_TEXTS)


@pytest.mark.parametrize(("threshold", "expect_all"), [(0.5, False), (1.0, True)])
def test_clarify_threshold_extremes(threshold: float, expect_all: bool) -> None:
    clf = tiny_classifier(clarify_below=threshold)
    got = clf.classify([st(t) for t in PROBES])
    assert all(c.needs_clarification is expect_all for c in got)


def test_confidence_is_the_probability_of_the_label() -> None:
    clf = tiny_classifier()
    stmts = [st(t) for t in PROBES]
    p = clf.model.proba_outcome([s.text for s in stmts], clf.embedder.embed([s.text for s in stmts]))
    for c, p_out in zip(clf.classify(stmts), p, strict=True):
        assert c.label == ("outcome" if p_out >= 0.5 else "output")
        expected = p_out if c.label == "outcome" else 1 - p_out
        assert c.confidence == pytest.approx(expected, abs=1e-4)
        assert 0.5 <= c.confidence <= 1.0


def test_evidence_lists_the_nearest_examples_best_first() -> None:
    clf = tiny_classifier(neighbours=3)
    c = clf.classify([st("Customers trust us a lot")])[0]
    examples = [e for e in c.evidence if e.kind == "example"]
    assert len(examples) == 3
    sims = [e.similarity for e in examples]
    assert sims == sorted(sims, reverse=True)
    assert examples[0].text == "Customers trust us"
    assert all(e.label in ("output", "outcome") and e.domain == "tiny" for e in examples)
    assert not [e for e in c.evidence if e.kind == "guidance"]  # no guidance memory given


def test_guidance_evidence_carries_a_citation() -> None:
    emb = HashEmbedder()
    passages = ["Outputs are what a team delivers.", "Outcomes are changes in behaviour for people served."]
    cites = [
        Citation(doc_id="a", title="A", section="S1", sources=["Src 1"]),
        Citation(doc_id="b", title="B", section="S2", sources=["Src 2"]),
    ]
    guidance = GuidanceMemory(embeddings=emb.embed(passages), texts=passages, citations=cites)
    clf = tiny_classifier()
    clf.guidance = guidance
    c = clf.classify([st("Launch the portal")])[0]
    g = [e for e in c.evidence if e.kind == "guidance"]
    assert len(g) == 1
    assert g[0].text in passages
    assert g[0].citation in cites


def test_second_opinion_is_reported_but_does_not_override() -> None:
    class AlwaysOutcome:
        def __init__(self) -> None:
            self.seen: list[str] = []

        def classify(self, text: str) -> Any:
            self.seen.append(text)
            return "outcome"

    hook = AlwaysOutcome()
    clf = tiny_classifier(second_opinion=hook)
    c = clf.classify([st("Launch the portal")])[0]
    assert c.second_opinion == "outcome"
    assert c.label == "output"
    assert hook.seen == ["Launch the portal"]
    assert tiny_classifier().classify([st("Launch the portal")])[0].second_opinion is None


def test_empty_batch() -> None:
    assert tiny_classifier().classify([]) == []


# ----- the service's classifier over the real knowledge base (hash embeddings) -------------------------


MESSAGE = (
    "We closed 500 incident records last month.\n"
    "- Customers resolve billing questions without calling\n"
    "- Churn fell by a third\n"
    "- Increase the number of blog posts"
)


def test_classify_returns_classifications_with_spans_and_evidence(shared_fake: Any) -> None:
    got = shared_fake.classify(MESSAGE)
    assert len(got) == 4
    for c in got:
        assert isinstance(c, Classification)
        assert MESSAGE[c.start : c.end] == c.text
        assert c.label in ("output", "outcome")
        assert 0.0 <= c.confidence <= 1.0
        assert c.rationale.strip()
        examples = [e for e in c.evidence if e.kind == "example"]
        guidance = [e for e in c.evidence if e.kind == "guidance"]
        assert len(examples) == shared_fake.settings.classifier.neighbours
        assert all(e.text and e.label in ("output", "outcome") for e in examples)
        assert len(guidance) == 1
        cite = guidance[0].citation
        assert cite is not None and cite.doc_id and cite.title and cite.sources
        assert c.needs_clarification == (c.confidence < shared_fake.settings.classifier.clarify_below)


def test_rationale_quotes_the_statement(shared_fake: Any) -> None:
    for c in shared_fake.classify(MESSAGE):
        if not find_cues(c.text):
            continue
        quoted = re.findall(r"'([^']+)'", c.rationale)
        assert quoted, c.rationale
        assert quoted[0].rstrip("…") in " ".join(c.text.split()), (c.rationale, c.text)
        assert c.rationale.endswith((".", ")"))


def test_rationale_without_a_cue_still_explains(shared_fake: Any) -> None:
    text = "Gardens bloom on Elm Street"
    assert not find_cues(text)
    c = shared_fake.classify(text)[0]
    assert c.rationale.startswith("Reads as")


def test_obvious_cases_with_the_hash_model(shared_fake: Any) -> None:
    # The hash model is no language model, but cues and n-grams must carry these textbook cases.
    got = {c.text: c for c in shared_fake.classify(MESSAGE)}
    assert got["We closed 500 incident records last month."].label == "output"
    assert got["Churn fell by a third"].label == "outcome"
    blog = got["Increase the number of blog posts"]
    assert blog.label == "output"
    assert "more of what the team produces" in blog.rationale


def test_commitment_is_named_for_compliance_outputs(shared_fake: Any) -> None:
    c = shared_fake.classify("Achieve ISO 27001 certification by March")[0]
    assert c.label == "output"
    assert c.commitment == "compliance milestone"
    assert shared_fake.classify("Churn fell by a third")[0].commitment is None


def test_classify_no_split_keeps_one_statement(shared_fake: Any) -> None:
    got = shared_fake.classify("We ran 14 workshops and trained 200 managers; attendance was great", split=False)
    assert len(got) == 1
    assert got[0].text.startswith("We ran 14 workshops")


def test_classify_many_matches_classify(shared_fake: Any) -> None:
    texts = ["Hire 5 nurses", "Customers trust us with their data", "Publish the annual report"]
    batch = shared_fake.classify_many(texts)
    single = [shared_fake.classify(t, split=False)[0] for t in texts]
    assert [c.label for c in batch] == [c.label for c in single]
    assert [c.confidence for c in batch] == pytest.approx([c.confidence for c in single], abs=1e-4)


def test_no_retraining_per_request(shared_fake: Any) -> None:
    calls: list[int] = []

    def counting(*args: Any) -> Any:
        calls.append(1)
        return train_or_load(*args)

    provider = ClassifierProvider(shared_fake.settings, shared_fake.index, shared_fake.corrections, trainer=counting)
    first = provider.get()
    for text in ["Hire 5 nurses", "Customers trust us", "Launch the portal"]:
        provider.get().classify(shared_fake.statements(text))
    provider.get().classify(shared_fake.statements("Hire 5 nurses. Run 12 campaigns."))
    assert provider.get() is first
    assert len(calls) == 1
    provider.invalidate()
    assert provider.get() is not first and len(calls) == 2


# ----- model cache ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def training_set() -> TrainingSet:
    examples = load_examples([DEFAULT_KNOWLEDGE])
    rng = random.Random(3)
    picked = rng.sample(examples, 100)
    texts = [e.text for e in picked]
    return TrainingSet(
        texts=texts,
        labels=[e.label for e in picked],
        embeddings=HashEmbedder().embed(texts),
        weights=[1.0] * len(texts),
        domains=[e.domain for e in picked],
    )


def _state(m: FittedModel) -> tuple[Any, ...]:
    return (
        m.w_emb.tolist(),
        m.w_cue.tolist(),
        m.w_tf.tolist(),
        m.w_knn.tolist(),
        m.bias,
        m.platt,
        sorted(m.tfidf.vocabulary_.items()),
    )


def test_model_cache_loads_from_disk_when_data_is_unchanged(
    training_set: TrainingSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = train_or_load(training_set, "hash:256", tmp_path)
    files = list(tmp_path.glob("classifier-*.joblib"))
    assert len(files) == 1
    assert training_set.key("hash:256") in files[0].name

    def no_fit(self: FittedModel, data: TrainingSet) -> FittedModel:
        raise AssertionError("retrained although the cached model matches the data")

    monkeypatch.setattr(FittedModel, "fit", no_fit)
    second = train_or_load(training_set, "hash:256", tmp_path)
    assert second is not first  # it came from the file
    assert _state(second) == _state(first)
    texts = training_set.texts[:10]
    np.testing.assert_allclose(
        second.proba_outcome(texts, training_set.embeddings[:10]),
        first.proba_outcome(texts, training_set.embeddings[:10]),
    )
    assert list(tmp_path.glob("classifier-*.joblib")) == files


def test_changed_data_gets_a_new_key_and_a_new_model(training_set: TrainingSet, tmp_path: Path) -> None:
    train_or_load(training_set, "hash:256", tmp_path)
    flipped: list[Any] = list(training_set.labels)
    flipped[0] = "outcome" if flipped[0] == "output" else "output"
    changed = TrainingSet(training_set.texts, flipped, training_set.embeddings, training_set.weights)
    assert changed.key("hash:256") != training_set.key("hash:256")
    train_or_load(changed, "hash:256", tmp_path)
    assert len(list(tmp_path.glob("classifier-*.joblib"))) == 2


def test_cache_key_rules(training_set: TrainingSet) -> None:
    key = training_set.key("hash:256")
    order = list(range(len(training_set.texts)))
    random.Random(1).shuffle(order)
    shuffled = TrainingSet(
        [training_set.texts[i] for i in order],
        [training_set.labels[i] for i in order],
        training_set.embeddings[order],
        [training_set.weights[i] for i in order],
    )
    assert shuffled.key("hash:256") == key  # order does not matter
    assert training_set.key("st:all-MiniLM-L6-v2") != key  # another embedder is another model
    heavier = TrainingSet(
        training_set.texts, training_set.labels, training_set.embeddings, [3.0, *training_set.weights[1:]]
    )
    assert heavier.key("hash:256") != key  # a correction's weight counts
    more = TrainingSet(
        [*training_set.texts, "Hire 5 nurses"],
        [*training_set.labels, "output"],
        np.vstack([training_set.embeddings, HashEmbedder().embed(["Hire 5 nurses"])]),
        [*training_set.weights, 1.0],
    )
    assert more.key("hash:256") != key


def test_unreadable_cache_is_rebuilt(training_set: TrainingSet, tmp_path: Path) -> None:
    train_or_load(training_set, "hash:256", tmp_path)
    (path,) = tmp_path.glob("classifier-*.joblib")
    path.write_bytes(b"not a pickle")
    model = train_or_load(training_set, "hash:256", tmp_path)
    assert isinstance(model, FittedModel)
    assert model_mod.joblib.load(path).bias == pytest.approx(model.bias)


def test_service_writes_its_model_to_the_data_dir(shared_fake: Any) -> None:
    shared_fake.classifier()
    assert list(shared_fake.settings.models_dir.glob("classifier-*.joblib"))


# ----- corrections -----------------------------------------------------------------------------------------


def test_correction_applies_at_once_for_its_team_and_survives_a_rebuild(fake_service: Any, hash_settings: Any) -> None:
    text = "Launch the customer self-service portal"
    before = fake_service.classify(text)[0]
    other_before = fake_service.classify("Publish the annual report")[0]
    new_label = "outcome" if before.label == "output" else "output"

    cid = fake_service.correct(text, new_label)  # the CLI's team, "local"
    assert isinstance(cid, int)

    after = fake_service.classify(text)[0]
    assert after.label == new_label
    assert after.confidence >= 0.95
    assert after.needs_clarification is False
    assert "corrected" in after.rationale
    # Identical text up to case and spacing is the same statement.
    assert fake_service.classify("  launch the   CUSTOMER self-service portal ")[0].label == new_label
    # Other statements are untouched until the next training; other teams are untouched.
    assert fake_service.classify("Publish the annual report")[0].label == other_before.label
    assert fake_service.classify(text, team="elsewhere")[0].label == before.label

    # A new process (new service over the same data dir) still knows: it is in SQL.
    rebuilt = build_service(hash_settings)
    assert rebuilt.corrections.latest("local")[" ".join(text.lower().split())] == (text, new_label)
    assert rebuilt.classify(text)[0].label == new_label
    # The shared model does not learn it until an administrator promotes it; then it does, weighted.
    assert text not in rebuilt.classifier().memory.texts
    rebuilt.promote_correction(cid, by="test")
    memory = rebuilt.classifier().memory
    i = memory.texts.index(text)
    assert memory.labels[i] == new_label
    assert memory.domains[i] == "correction"
    assert rebuilt.classify(text, team="elsewhere")[0].label == new_label


def test_newest_correction_wins_and_the_teams_training_uses_corrections(fake_service: Any) -> None:
    text = "Customers trust us with their data"
    fake_service.classifier()
    before = set(fake_service.settings.models_dir.glob("classifier-*.joblib"))
    fake_service.correct(text, "output")
    assert fake_service.classify(text)[0].label == "output"
    fake_service.correct(text, "outcome")
    assert fake_service.classify(text)[0].label == "outcome"
    fake_service.settings.classifier.team_model_min = 1
    fake_service.retrain()
    assert fake_service.classify(text)[0].label == "outcome"
    # The team's corrections changed its training data, so a model of its own was fitted and cached under a new
    # key (the shared model's data did not change: it loads from the cache).
    after = set(fake_service.settings.models_dir.glob("classifier-*.joblib"))
    assert len(after - before) == 1
    own = fake_service.classifiers.for_team("local").memory.model
    assert own is not None and own is not fake_service.classifier()
    assert [lab for t, lab in zip(own.memory.texts, own.memory.labels, strict=True) if t == text][-1] == "outcome"
    assert text not in fake_service.classifier().memory.texts


@pytest.mark.parametrize(("text", "label"), [("", "outcome"), ("   ", "output"), ("Hire 5 nurses", "impact")])
def test_bad_corrections_are_refused(shared_fake: Any, text: str, label: str) -> None:
    with pytest.raises(InvalidInput) as info:
        shared_fake.correct(text, label)
    assert info.value.message and info.value.hint
    assert shared_fake.corrections.latest("local") == {}


# ----- text hygiene (coach/text.py) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "empty"),
        ("   \n\t  ", "empty"),
        ("\x00\x01\x02\x1b\x7f", "empty"),  # only control characters
        ("\u200b\ufeff", "empty"),  # only invisible characters
        ("x" * 100_000, "too long"),
        ("We ran a workshop. " * 6_000, "too long"),
    ],
)
def test_clean_refuses_bad_text_with_message_and_hint(text: str, needle: str) -> None:
    with pytest.raises(InvalidInput) as info:
        clean(text)
    assert needle in info.value.message
    assert info.value.hint
    assert str(info.value).startswith(info.value.message)


def test_clean_too_long_names_the_sizes() -> None:
    with pytest.raises(InvalidInput) as info:
        clean("y" * 100_000)
    assert "100,000" in info.value.message and f"{MAX_MESSAGE:,}" in info.value.message


def test_clean_non_string() -> None:
    with pytest.raises(InvalidInput) as info:
        clean(None)  # type: ignore[arg-type]
    assert "string" in info.value.message and info.value.hint


def test_clean_drops_control_characters_and_normalises() -> None:
    assert clean("We\x00 ran 14\x07 workshops\x1b") == "We ran 14 workshops"
    assert clean("Cafe\u0301 opened\r\nsecond line\rthird") == "Caf\u00e9 opened\nsecond line\nthird"
    assert clean("tabs\tand\nnewlines stay") == "tabs\tand\nnewlines stay"
    assert clean("a" * MAX_STATEMENT, limit=MAX_STATEMENT) == "a" * MAX_STATEMENT


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "x" * 100_000, "\n\n- \n* \n"])
def test_service_classify_refuses_bad_input(shared_fake: Any, text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        shared_fake.classify(text)
    assert info.value.message and info.value.hint


def test_service_refuses_a_single_statement_over_the_limit(shared_fake: Any) -> None:
    text = "We " + "really " * 400 + "ran workshops"
    assert MAX_STATEMENT < len(text) < MAX_MESSAGE
    with pytest.raises(InvalidInput) as info:
        shared_fake.classify(text)
    assert "too long" in info.value.message and info.value.hint


def test_service_classifies_text_with_control_characters(shared_fake: Any) -> None:
    got = shared_fake.classify("Hire 5\x00 nurses\x07")
    assert [c.text for c in got] == ["Hire 5 nurses"]


# ----- not a statement about work: label none, with its kind and reason ----------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ok thanks", "small_talk"),
        ("hello", "small_talk"),
        ("What is an outcome?", "question"),
        ("skip", "command"),
        ("show me the map", "command"),
        ("asdfgh qwerty", "gibberish"),
        ("🙂🙂", "gibberish"),
    ],
)
def test_non_statements_get_label_none_with_kind_and_reason(shared_fake: Any, text: str, kind: str) -> None:
    (c,) = shared_fake.classify(text, split=False)
    assert c.label == "none", c
    assert c.none_kind == kind
    assert c.needs_clarification is False
    assert "not a statement about work" in c.rationale or "does not read as a statement" in c.rationale
    assert not [e for e in c.evidence if e.kind == "example"]


@pytest.mark.parametrize(
    "text", ["Hire 5 nurses", "Customers trust us with their data", "Churn fell by a third", "Launch the portal"]
)
def test_statements_are_never_none(shared_fake: Any, text: str) -> None:
    (c,) = shared_fake.classify(text, split=False)
    assert c.label in ("output", "outcome")
    assert c.none_kind is None


def test_allow_none_false_always_labels_but_asks(shared_fake: Any) -> None:
    clf = shared_fake.classifier()
    stmts = [st("asdfgh qwerty"), st("Hire 5 nurses")]
    guessed, plain = clf.classify(stmts, allow_none=False)
    assert guessed.label in ("output", "outcome")
    assert guessed.needs_clarification and guessed.confidence < shared_fake.settings.classifier.clarify_below
    alone = clf.classify([stmts[1]])[0]
    assert (plain.label, plain.rationale) == (alone.label, alone.rationale)
    assert plain.confidence == pytest.approx(alone.confidence, abs=1e-4)


def test_none_model_is_trained_on_the_none_examples(shared_fake: Any) -> None:
    model = shared_fake.classifier().model
    assert len(model.none.w) > 0
    memory = shared_fake.classifier().memory
    assert "asdfghjkl" not in memory.texts  # none examples are not evidence for output/outcome
    assert set(memory.labels) == {"output", "outcome"}


# ----- other languages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Wir haben 40 Server migriert und MFA für alle Mitarbeiter eingeführt", "de"),
        ("Les clients nous font confiance pour leurs données", "fr"),
        ("Reducir el tiempo de espera de los pacientes", "es"),
        ("顧客満足度を向上させる", "ja"),
    ],
)
def test_other_languages_are_flagged_never_sure(shared_fake: Any, text: str, code: str) -> None:
    (c,) = shared_fake.classify(text, split=False)
    assert c.language == code
    assert c.label in ("output", "outcome")
    assert c.needs_clarification
    assert c.confidence <= 0.55
    assert "English" in c.rationale and "guess" in c.rationale


def test_english_statements_carry_no_language(shared_fake: Any) -> None:
    texts = [t for t, _, _ in _ENGLISH_SAMPLE]
    assert all(c.language is None for c in shared_fake.classify_many(texts))


_ENGLISH_SAMPLE = [
    ("RevPAR vs. comp set", "output", ""),
    ("Sprint velocity", "output", ""),
    ("Add SSO via Okta and Azure AD", "output", ""),
    ("Implement SAP S/4HANA by Q3", "output", ""),
    ("Cost per hire", "output", ""),
    ("Win rate rose to 31%", "outcome", ""),
    ("Kaizen events run on the assembly line", "output", ""),
    ("Coral cover on the reef stabilises", "outcome", ""),
]


# ----- the examples format: none labels, mixed statements, rule labels ------------------------------------


def test_examples_accept_none_and_mixed_lines(tmp_path: Path) -> None:
    from coach.knowledge import read_jsonl_labelled, read_mixed, split_of

    p = tmp_path / "e.jsonl"
    whole = "Cut churn by 10% by launching a health-check call"
    p.write_text(
        '{"text": "ok thanks", "label": "none", "domain": "none", "reason": "Thanks."}\n'
        f'{{"text": "{whole}", "output": "launching a health-check call", "outcome": "Cut churn by 10%"}}\n'
        '{"text": "Patients wait less", "label": "outcome", "rule_label": "output", "source": "A guide (2020)"}\n',
        encoding="utf-8",
    )
    got = read_jsonl_labelled(p)
    assert [(e.text, e.label) for e in got] == [
        ("ok thanks", "none"),
        ("launching a health-check call", "output"),
        ("Cut churn by 10%", "outcome"),
        ("Patients wait less", "outcome"),
    ]
    assert got[1].whole == whole and got[1].resolved_split == got[2].resolved_split == split_of(whole)
    assert whole in got[1].reason
    assert got[3].expected_by_rule == "output" and got[3].source == "A guide (2020)"
    assert read_mixed(p) == [(whole, "launching a health-check call", "Cut churn by 10%")]


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ('{"text": "Cut churn by launching calls", "output": "sending letters", "outcome": "Cut churn"}', "substring"),
        ('{"text": "Cut churn by launching calls", "outcome": "Cut churn"}', "'output'"),
        ('{"text": "Hire 5 nurses", "label": "output", "rule_label": "impact"}', "rule_label"),
        ('{"text": "Hire 5 nurses", "label": "maybe"}', "'none'"),
    ],
)
def test_bad_example_lines_name_the_line_and_field(tmp_path: Path, line: str, needle: str) -> None:
    from coach.errors import KnowledgeError
    from coach.knowledge import read_jsonl_labelled

    p = tmp_path / "bad.jsonl"
    p.write_text('{"text": "Hire 5 nurses", "label": "output"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        read_jsonl_labelled(p)
    assert "bad.jsonl, line 2:" in info.value.message and needle in info.value.message


def test_eval_reads_a_folder_and_refuses_an_empty_one(tmp_path: Path) -> None:
    from coach.errors import KnowledgeError
    from coach.knowledge import read_jsonl_labelled

    (tmp_path / "a.jsonl").write_text('{"text": "Hire 5 nurses", "label": "output"}\n', encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "Patients wait less", "label": "outcome"}\n', encoding="utf-8")
    assert [e.label for e in read_jsonl_labelled(tmp_path)] == ["output", "outcome"]
    with pytest.raises(KnowledgeError) as info:
        read_jsonl_labelled(tmp_path / "nothing-here")
    assert info.value.hint
    (tmp_path / "empty").mkdir()
    with pytest.raises(KnowledgeError):
        read_jsonl_labelled(tmp_path / "empty")


# ----- evaluation: calibration and the rule ----------------------------------------------------------------


def test_expected_calibration_error() -> None:
    from coach.evaluation import expected_calibration_error

    assert expected_calibration_error([0.9] * 10, [True] * 9 + [False]) == pytest.approx(0.0)
    assert expected_calibration_error([0.95] * 4, [True, True, False, False]) == pytest.approx(0.45)
    # two bins: 0.55 said, 50 % right (0.05 off); 0.95 said, 100 % right (0.05 off)
    assert expected_calibration_error([0.55, 0.55, 0.95, 0.95], [True, False, True, True]) == pytest.approx(0.05)
    assert expected_calibration_error([], []) == 0.0


def test_evaluate_reports_rule_accuracy_and_none() -> None:
    from coach.evaluation import evaluate
    from coach.knowledge import Example

    examples = [
        Example(text="a", label="output"),
        Example(text="b", label="outcome", rule_label="output"),
        Example(text="c", label="none"),
        Example(text="d", label="outcome"),
    ]

    def cls(label: Any, conf: float) -> Classification:
        return Classification(text="x", label=label, confidence=conf, rationale="r")

    report = evaluate(examples, [cls("output", 0.9), cls("output", 0.8), cls("none", 0.99), cls("none", 0.7)])
    assert report.accuracy == 0.5
    assert report.accuracy_by_rule == 0.75
    assert report.rule_disagreements == 1
    assert report.predicted_none == 1
    assert set(report.confusion) == {"output", "outcome", "none"}
    assert report.confusion["outcome"] == {"output": 1, "outcome": 0, "none": 1}


# ----- the neighbour vote ---------------------------------------------------------------------------------------


def test_knn_vote_with_sorted_blocks_equals_the_masked_version() -> None:
    from coach.model import MIN_VOTERS, knn_vote, label_split

    rng = np.random.default_rng(5)
    y = np.array([0.0] * 40 + [1.0] * 30)
    sims = rng.uniform(-0.2, 0.9, size=(7, len(y)))
    split = label_split(y)
    assert split == 40
    np.testing.assert_allclose(knn_vote(sims, y, 10, split), knn_vote(sims, y, 10), rtol=1e-6)
    assert label_split(np.array([0.0, 1.0, 0.0])) is None
    vote = knn_vote(sims, y, 10)
    assert vote.shape == (7, 2) and np.all(np.abs(vote[:, 0]) <= 1.0)
    assert not knn_vote(sims[:, : MIN_VOTERS - 1], y[: MIN_VOTERS - 1], 10).any()  # too few voters: no vote


def test_near_neighbours_of_one_label_pull_towards_it() -> None:
    from coach.model import knn_vote

    y = np.array([0.0] * 30 + [1.0] * 30)
    sims = np.full((2, 60), 0.1)
    sims[0, 35:45] = 0.95  # close to ten outcomes
    sims[1, 5:15] = 0.95  # close to ten outputs
    vote = knn_vote(sims, y, 10)
    assert vote[0, 0] > 0.9 and vote[0, 1] > 0
    assert vote[1, 0] < -0.9 and vote[1, 1] < 0


def test_the_service_shares_one_similarity_product(shared_fake: Any) -> None:
    clf = shared_fake.classifier()
    assert clf._shared_sims  # memory rows are the model's neighbour rows, in order
    texts = ["Hire 5 nurses", "Customers trust us with their data"]
    emb = clf.embedder.embed(texts)
    shared = clf.model.proba_outcome(texts, emb, None, emb @ clf.memory.embeddings.T)
    np.testing.assert_allclose(shared, clf.model.proba_outcome(texts, emb), rtol=1e-5)


# ----- how channels show it -------------------------------------------------------------------------------------


def test_cli_and_json_show_none_and_language(capsys: pytest.CaptureFixture[str]) -> None:
    from api.cli.render import classification_json, print_classification
    from api.render.slack import statement_text

    none = Classification(
        text="ok thanks", label="none", confidence=0.99, rationale="This reads as conversation.", none_kind="small_talk"
    )
    foreign = Classification(
        text="Kunden vertrauen uns", label="outcome", confidence=0.55, rationale="Looks like German.", language="de"
    )
    assert classification_json(none)["label"] == "none" and classification_json(none)["none_kind"] == "small_talk"
    assert classification_json(foreign)["language"] == "de"
    print_classification(none)
    print_classification(foreign)
    shown = capsys.readouterr().out
    assert "NOT A STATEMENT" in shown and "small talk" in shown and "99%" not in shown
    assert "language: de" in shown
    assert statement_text(none).startswith("*Not a statement* · small talk")
