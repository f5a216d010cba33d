"""The optional chat model for reply acts, through LangChain's OpenAI client against a fake server on loopback
(real HTTP): consulted only when the local model is unsure, only among the acts the context allows, and a
failure means no opinion — the local reading stands."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pydantic import SecretStr

from coach.adapters.embeddings import HashEmbedder
from coach.adapters.llm import LangChainActOpinion, chat_model
from coach.config import LLMSettings
from coach.conversation.acts import UNSURE_BELOW, ActRecognizer, load_replies, train_or_load

pytest.importorskip("langchain_openai")


class FakeChat:
    """An OpenAI-compatible /v1/chat/completions that answers `self.answer` and records the prompts."""

    def __init__(self) -> None:
        self.answer = "objection"
        self.status = 200
        self.prompts: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.prompts.append(body["messages"][-1]["content"])
                if outer.status != 200:
                    self.send_response(outer.status)
                    self.end_headers()
                    return
                reply = {
                    "id": "x",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body.get("model", "fake"),
                    "choices": [
                        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": outer.answer}}
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def fake_chat() -> Iterator[FakeChat]:
    fake = FakeChat()
    yield fake
    fake.server.shutdown()


@pytest.fixture(scope="module")
def local() -> ActRecognizer:
    embedder = HashEmbedder()
    return ActRecognizer(embedder, train_or_load(load_replies(), embedder, None))


def with_opinion(local: ActRecognizer, fake: FakeChat) -> ActRecognizer:
    settings = LLMSettings(provider="openai", model="fake", base_url=fake.url, api_key=SecretStr("test"), timeout_s=5)
    return ActRecognizer(local.embedder, local.model, LangChainActOpinion(chat_model(settings)))


def unsure_reply(local: ActRecognizer, only: str | None = None) -> tuple[str, str]:
    texts = [
        "well it kind of depends on the team I guess",
        "hmm maybe, partly",
        "the thing with the forms",
        "sort of both really",
        "that one probably",
        "it's complicated with the forms and the people",
    ]
    contexts = [only] if only else ["ask_result", "ask_higher", "clarify", "ask_baseline"]
    for context in contexts:
        for text in texts:
            if local.read(text, context).confidence < UNSURE_BELOW:
                return text, context
    pytest.fail("no candidate reply leaves the local model unsure; add a vaguer one")


def test_an_unsure_reading_asks_the_chat_model_over_http(local: ActRecognizer, fake_chat: FakeChat) -> None:
    text, context = unsure_reply(local)
    fake_chat.answer, fake_chat.status = "objection", 200
    before = len(fake_chat.prompts)
    reading = with_opinion(local, fake_chat).read(text, context, question="What changes for the people you trained?")
    assert reading.act == "objection" and reading.source == "chat model"
    assert len(fake_chat.prompts) == before + 1
    prompt = fake_chat.prompts[-1]
    assert text in prompt and context in prompt and "What changes for the people you trained?" in prompt


def test_a_confident_reading_never_calls_the_chat_model(local: ActRecognizer, fake_chat: FakeChat) -> None:
    before = len(fake_chat.prompts)
    reading = with_opinion(local, fake_chat).read(
        "what's the difference between a leading and a lagging measure?", "idle"
    )
    assert reading.act == "knowledge_question" and reading.source == "model"
    assert len(fake_chat.prompts) == before


def test_an_act_the_context_does_not_allow_is_ignored(local: ActRecognizer, fake_chat: FakeChat) -> None:
    text, context = unsure_reply(local, only="welcome")
    fake_chat.answer, fake_chat.status = "result", 200  # never an answer in "welcome": no question was asked
    before = len(fake_chat.prompts)
    reading = with_opinion(local, fake_chat).read(text, context)
    assert len(fake_chat.prompts) == before + 1  # it was asked …
    assert reading.source == "model"  # … and its answer, not allowed here, was ignored


def test_a_failing_chat_model_leaves_the_local_reading(local: ActRecognizer, fake_chat: FakeChat) -> None:
    text, context = unsure_reply(local)
    fake_chat.status = 500
    try:
        reading = with_opinion(local, fake_chat).read(text, context)
    finally:
        fake_chat.status = 200
    assert reading.source == "model" and reading.act == local.read(text, context).act
