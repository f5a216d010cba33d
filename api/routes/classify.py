"""POST /v1/classify: statements → output / outcome, with confidence, rationale and evidence."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import Caller, ServiceDep, SettingsDep, charge_statements, check_statement
from api.render.http import Render, render_classification
from api.schemas import COMMON, ClassifyRequest, ClassifyResponse

router = APIRouter(prefix="/v1", tags=["classify"])


@router.post(
    "/classify",
    response_model=ClassifyResponse,
    responses={**COMMON},
    summary="Classify statements as outputs or outcomes",
)
def classify(
    body: ClassifyRequest,
    caller: Caller,
    service: ServiceDep,
    settings: SettingsDep,
    request: Request,
    render: Render = None,
) -> ClassifyResponse:
    """Each statement comes back with its label, a calibrated confidence, the reason, and the examples and
    guidance it resembles (with citations). `needs_clarification` marks the ones the coach would ask about.

    The label is `none` when the text is not a statement about work (`none_kind`: gibberish, small_talk,
    question or command); `language` is set, and the coach asks, when a statement is not in English. The
    caller's team's corrections and examples apply (and no other team's)."""
    charge_statements(request, body.text, body.split)
    if not body.split:
        check_statement(body.text, settings, "statement")
    found = service.classify(body.text, split=body.split, team=caller.team)
    return ClassifyResponse(statements=found, **render_classification(body.text, found, render))
