"""Measures for an outcome, knowledge search with citations, and corrections to the classifier."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import Caller, ServiceDep, SettingsDep, Staff, check_statement, session_scope
from api.schemas import COMMON, READABLE, CorrectionIn, CorrectionOut, MeasuresIn, MeasuresOut, SearchOut, problems

router = APIRouter(prefix="/v1", tags=["knowledge"])


@router.post(
    "/measures", response_model=MeasuresOut, responses={**COMMON}, summary="Propose outcome measures for an outcome"
)
def measures(body: MeasuresIn, _caller: Caller, service: ServiceDep, settings: SettingsDep) -> MeasuresOut:
    """Measures from the library, adapted to the outcome: leading and lagging, with data source, cadence,
    gaming risk, a balancing measure and prompts for baseline and target."""
    check_statement(body.outcome, settings, "outcome")
    return MeasuresOut(outcome=body.outcome, measures=service.propose_measures(body.outcome, k=body.k))


@router.get(
    "/knowledge/search",
    response_model=SearchOut,
    responses={**COMMON},
    summary="Search the guidance, the measure library or the labelled examples",
)
def search(
    _caller: Caller,
    service: ServiceDep,
    settings: SettingsDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=2_000,
            pattern=READABLE,
            description="What to look for, in plain words (up to the statement limit, 2,000 characters).",
            examples=["what is an outcome"],
        ),
    ],
    k: Annotated[int, Query(ge=1, le=50, description="How many passages.")] = 5,
    kind: Annotated[Literal["guidance", "measures", "examples"], Query(description="Which collection.")] = "guidance",
) -> SearchOut:
    check_statement(q, settings, "query")
    return SearchOut(query=q, kind=kind, results=service.search(q, k=k, kind=kind))


@router.post(
    "/corrections",
    status_code=201,
    response_model=CorrectionOut,
    responses={**COMMON, **problems(404)},
    summary="Record that a statement is an output or an outcome",
)
def correct(body: CorrectionIn, caller: Staff, service: ServiceDep, settings: SettingsDep) -> CorrectionOut:
    """Applies to identical text at once and to the model on its next training. Needs an api or trainer key:
    corrections change the coach for everyone, so the widget's public key cannot make them."""
    check_statement(body.text, settings, "statement")
    if body.session_id:
        session_scope(service, caller, body.session_id)  # 404 unless the session is the caller's
    cid = service.correct(body.text, body.label, team=caller.team, source="api", session_id=body.session_id)
    return CorrectionOut(id=cid, text=body.text.strip(), label=body.label)
