"""Optional LLM adapters (LangChain). Off by default: the embedded engine stands on its own."""

from __future__ import annotations

from coach.config import Settings
from coach.ports import ActOpinion, Rephraser, SecondOpinion


def build_second_opinion(settings: Settings) -> SecondOpinion | None:
    if settings.llm.provider == "none":
        return None
    from coach.adapters.llm import LangChainSecondOpinion, chat_model

    return LangChainSecondOpinion(chat_model(settings.llm))


def build_rephraser(settings: Settings) -> Rephraser | None:
    if settings.llm.provider == "none":
        return None
    from coach.adapters.llm import LangChainRephraser, chat_model

    return LangChainRephraser(chat_model(settings.llm))


def build_act_opinion(settings: Settings) -> ActOpinion | None:
    """Consulted only when the local reply model is unsure; the engine decides what to do with it."""
    if settings.llm.provider == "none":
        return None
    from coach.adapters.llm import LangChainActOpinion, chat_model

    return LangChainActOpinion(chat_model(settings.llm))
