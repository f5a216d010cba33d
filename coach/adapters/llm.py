"""LangChain adapters: an optional second opinion on a label and an optional rephraser for replies.

Only used when COACH_LLM__PROVIDER is set. Failures degrade to the embedded engine, never to an error.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from coach.config import REPO_ROOT, LLMSettings
from coach.domain import Label
from coach.errors import LLMUnavailable

log = logging.getLogger(__name__)
PROMPTS = REPO_ROOT / "prompts"


def load_prompt(name: str) -> str:
    path = PROMPTS / f"{name}.md"
    if not path.exists():
        raise LLMUnavailable(f"Prompt template {path} is missing.", "Restore it from the repository.")
    return path.read_text("utf-8")


def chat_model(cfg: LLMSettings) -> Any:
    try:
        if cfg.provider == "openai":
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(
                model=cfg.model or "gpt-4o-mini",
                base_url=cfg.base_url,
                api_key=cfg.api_key.get_secret_value() if cfg.api_key else None,  # type: ignore[arg-type,unused-ignore]
                timeout=cfg.timeout_s,
                max_retries=1,
                temperature=0,
            )
        if cfg.provider == "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(model=cfg.model or "llama3.1", base_url=cfg.base_url, temperature=0)
    except ImportError as exc:
        raise LLMUnavailable(
            f"The LLM provider '{cfg.provider}' needs an extra package ({exc.name}).",
            "Install it with: pip install -e '.[llm]'",
        ) from None
    raise LLMUnavailable(f"Unknown LLM provider '{cfg.provider}'.", "Use none, openai or ollama.")


class LangChainSecondOpinion:
    """Asks a chat model for a one-word label; any failure returns None (no opinion)."""

    def __init__(self, model: Any, template: str | None = None) -> None:
        from langchain_core.prompts import ChatPromptTemplate

        self.chain = ChatPromptTemplate.from_template(template or load_prompt("classify")) | model

    def classify(self, text: str) -> Label | None:
        try:
            msg = self.chain.invoke({"statement": text})
        except Exception as exc:
            log.warning("LLM second opinion failed: %s", type(exc).__name__)
            return None
        content = str(getattr(msg, "content", msg)).strip().lower()
        if "outcome" in content[:40]:
            return "outcome"
        if "output" in content[:40]:
            return "output"
        return None


class LangChainActOpinion:
    """Asks a chat model which reply act a message is, among those the context allows; failure = no opinion."""

    def __init__(self, model: Any, template: str | None = None) -> None:
        from langchain_core.prompts import ChatPromptTemplate

        self.chain = ChatPromptTemplate.from_template(template or load_prompt("act")) | model

    def act(self, text: str, context: str, question: str, allowed: Sequence[str]) -> str | None:
        try:
            msg = self.chain.invoke(
                {"reply": text, "context": context, "question": question or "(none)", "allowed": ", ".join(allowed)}
            )
        except Exception as exc:
            log.warning("LLM reading of a reply failed: %s", type(exc).__name__)
            return None
        words = re.findall(r"[a-z_]+", str(getattr(msg, "content", msg)).lower())
        return next((w for w in words if w in allowed), None)


class LangChainRephraser:
    """Rewords the coach's text for fluency; the facts (labels, measures, citations) stay the engine's."""

    def __init__(self, model: Any, template: str | None = None) -> None:
        from langchain_core.prompts import ChatPromptTemplate

        self.chain = ChatPromptTemplate.from_template(template or load_prompt("rephrase")) | model

    def rephrase(self, text: str, context: str) -> str:
        try:
            msg = self.chain.invoke({"reply": text, "context": context})
            out = str(getattr(msg, "content", "")).strip()
            return out or text
        except Exception as exc:
            log.warning("LLM rephrase failed: %s", type(exc).__name__)
            return text
