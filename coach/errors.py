"""Domain errors. Channels (HTTP, Slack, CLI) map these to their own messages; nothing here knows HTTP."""

from __future__ import annotations


class CoachError(Exception):
    """Base class: `message` says what was wrong, `hint` says what to do about it."""

    code = "coach_error"
    exit_code = 2  # for the CLI

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class InvalidInput(CoachError):
    code = "invalid_input"


class IdempotencyKeyReused(InvalidInput):
    """A client key (Idempotency-Key, a Slack event id) came back with a different message."""

    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was already used for a different message.",
            "Use a new key for each new message; reuse a key only to retry exactly the same message.",
        )


class SessionNotFound(CoachError):
    code = "session_not_found"

    def __init__(self, session_id: str) -> None:
        super().__init__(
            f"No session with id '{session_id}'.",
            "Start a new session, or list yours with `coach sessions` / GET /v1/sessions.",
        )
        self.session_id = session_id


class CorrectionNotFound(CoachError):
    """No correction with that id (or not one of the caller's team)."""

    code = "not_found"
    exit_code = 1


class WorkshopNotFound(CoachError):
    code = "workshop_not_found"

    def __init__(self, code: str) -> None:
        super().__init__(f"No workshop with code '{code}'.", "Check the code your trainer gave you.")
        self.workshop_code = code


class WorkshopClosed(CoachError):
    """Joining a workshop the trainer has not started yet, or has closed (409)."""

    code = "workshop_not_open"

    def __init__(self, code: str, status: str) -> None:
        if status == "waiting":
            super().__init__(
                f"Workshop {code} has not started yet.", "Wait for your trainer to start it, then join again."
            )
        else:
            super().__init__(f"Workshop {code} has closed.", "Ask your trainer to reopen it, or for a new code.")
        self.workshop_code = code
        self.status = status


class KnowledgeError(CoachError):
    """The knowledge base is malformed (names file and line) or the index is missing."""

    code = "knowledge_error"


class IndexNotReady(KnowledgeError):
    code = "index_not_ready"


class LLMUnavailable(CoachError):
    code = "llm_unavailable"


class Conflict(CoachError):
    code = "conflict"


class NotAuthorized(CoachError):
    code = "not_authorized"


class RateLimited(CoachError):
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many requests for this key.", f"Wait {retry_after} seconds and try again.")
        self.retry_after = retry_after
