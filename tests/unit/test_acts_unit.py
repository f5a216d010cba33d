"""The reply-act model on its own (HashEmbedder, no model download): rules for the unmistakable, the context's
constraints, the one-message fast path equal to the batch path, the documented split, a stable cache key."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from coach.adapters.embeddings import HashEmbedder
from coach.conversation.acts import ACTS, ActModel, ActRecognizer, data_key, load_replies, train_or_load


@pytest.fixture(scope="module")
def reader() -> ActRecognizer:
    embedder = HashEmbedder()
    return ActRecognizer(embedder, train_or_load(load_replies(), embedder, None))


def test_the_one_message_path_gives_the_batch_numbers(reader: ActRecognizer) -> None:
    texts = ["we think customers get refunds within 5 days", "no idea", "the regulator requires it", "why?", "12%"]
    contexts = ["ask_result", "welcome", "ask_higher", "clarify", "ask_baseline"]
    vecs = reader.embedder.embed(texts)
    model: ActModel = reader.model
    batch = model.proba(texts * 2, contexts * 2, np.vstack([vecs, vecs]))[: len(texts)]
    one = np.vstack([model.proba_one(t, c, v) for t, c, v in zip(texts, contexts, vecs, strict=True)])
    assert np.allclose(batch, one, atol=1e-9)
    classes = list(model.lr.classes_)
    raw = model.lr.predict_proba(model._x(texts, contexts, vecs))
    assert [classes[j] for j in raw.argmax(1)] == [ACTS[j] for j in one.argmax(1)]  # sklearn agrees


def test_acts_never_seen_in_a_context_are_ruled_out_there(reader: ActRecognizer) -> None:
    for text in ("people get back to work sooner", "so tickets get resolved faster"):
        probs = reader.read(text, "welcome").probs
        assert probs["result"] == probs["intermediate"] == 0.0  # no question asked: no answer to it
    assert reader.read("about 40% today", "ask_baseline").act == "numbers"


@pytest.mark.parametrize(
    ("text", "act", "command"),
    [
        ("skip", "command", "skip"),
        ("Show me the map", "command", "summary"),
        ("start over", "command", "restart"),
        ("That's the result", "command", "accept"),
        ("Propose measures", "command", "measures"),
        ("asdfgh qwerty", "gibberish", None),
        ("🙂🙂🙂", "gibberish", None),
        ("no, that's an outcome", "objection", None),
        ("wrong, it's an output", "objection", None),
    ],
)
def test_the_unmistakable_is_read_by_rule(reader: ActRecognizer, text: str, act: str, command: str | None) -> None:
    got = reader.read(text, "ask_result")
    assert (got.act, got.command, got.source) == (act, command, "rule")


def test_the_split_is_stable_and_about_a_fifth() -> None:
    replies = load_replies()
    dev = [e for e in replies if e.split == "dev"]
    assert 0.15 < len(dev) / len(replies) < 0.25
    again = {(e.context, e.text) for e in load_replies() if e.split == "dev"}
    assert again == {(e.context, e.text) for e in dev}


def test_the_cache_key_follows_the_data(tmp_path: Path) -> None:
    replies = load_replies()
    assert data_key(replies, "hash:256") == data_key(list(reversed(replies)), "hash:256")  # order does not matter
    assert data_key(replies[:-1], "hash:256") != data_key(replies, "hash:256")
    assert data_key(replies, "hash:256") != data_key(replies, "st:other")
    embedder = HashEmbedder()
    first = train_or_load(replies, embedder, tmp_path)
    assert len(list(tmp_path.glob("acts-*.joblib"))) == 1 and not list(tmp_path.glob("*.tmp"))
    second = train_or_load(replies, embedder, tmp_path)  # loaded from the cache, same numbers
    v = embedder.embed(["hmm"])[0]
    assert np.allclose(first.proba_one("hmm", "idle", v), second.proba_one("hmm", "idle", v))
