"""The optional LLM layer, through LangChain's fake chat model: it may reword, never change the facts."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from coach.adapters.llm import LangChainRephraser, LangChainSecondOpinion, chat_model
from coach.config import LLMSettings
from coach.errors import LLMUnavailable


def fake(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))


class Broken(GenericFakeChatModel):
    def _generate(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("model server down")


def test_second_opinion_reads_the_label() -> None:
    assert LangChainSecondOpinion(fake("Outcome.")).classify("Customers trust us") == "outcome"
    assert LangChainSecondOpinion(fake("output")).classify("Launch the portal") == "output"


def test_second_opinion_without_a_label_is_no_opinion() -> None:
    assert LangChainSecondOpinion(fake("I cannot tell.")).classify("Hmm") is None


def test_second_opinion_failure_degrades_to_none() -> None:
    assert LangChainSecondOpinion(Broken(messages=iter([]))).classify("Launch the portal") is None


def test_rephraser_rewords_and_falls_back_on_failure() -> None:
    assert LangChainRephraser(fake("A warmer reply?")).rephrase("Reply?", "laddering") == "A warmer reply?"
    assert LangChainRephraser(Broken(messages=iter([]))).rephrase("Reply?", "laddering") == "Reply?"
    assert LangChainRephraser(fake("")).rephrase("Reply?", "laddering") == "Reply?"


def test_unknown_provider_is_a_clear_error() -> None:
    with pytest.raises(LLMUnavailable):
        chat_model(LLMSettings.model_construct(provider="nonsense"))


def test_rephraser_changes_text_only_not_facts(memory_service_factory: Any) -> None:
    service = memory_service_factory(rephraser=LangChainRephraser(fake(*["Reworded by the model."] * 5)))
    view = service.start_session()
    result = service.handle_message(view.id, "Customers trust us with their data")
    assert result.reply.text == "Reworded by the model."
    assert result.reply.statements and result.reply.statements[0].text == "Customers trust us with their data"
    assert result.reply.state in {"ask_baseline", "ask_result", "clarify"}
