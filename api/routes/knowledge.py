"""Measures for an outcome, knowledge search with citations, and corrections to the classifier.

Everything is for the caller's team: the organisation's knowledge and the team's own (`coach ingest --team`),
never another team's; a correction applies to the caller's team until it is promoted to the shared model."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from api.deps import Caller, ServiceDep, SettingsDep, Staff, check_statement, session_team
from api.schemas import (
    COMMON,
    READABLE,
    CorrectionIn,
    CorrectionList,
    CorrectionOut,
    CorrectionRecordOut,
    MeasuresIn,
    MeasuresOut,
    SearchOut,
    problems,
)
from coach.ports import CorrectionRecord

router = APIRouter(prefix="/v1", tags=["knowledge"])


@router.post(
    "/measures", response_model=MeasuresOut, responses={**COMMON}, summary="Propose outcome measures for an outcome"
)
def measures(body: MeasuresIn, caller: Caller, service: ServiceDep, settings: SettingsDep) -> MeasuresOut:
    """Measures from the library (the organisation's and the caller's team's own), adapted to the outcome:
    leading and lagging, with data source, cadence, gaming risk, a balancing measure and prompts for baseline
    and target."""
    check_statement(body.outcome, settings, "outcome")
    found = service.propose_measures(body.outcome, k=body.k, team=caller.team)
    return MeasuresOut(outcome=body.outcome, measures=found)


@router.get(
    "/knowledge/search",
    response_model=SearchOut,
    responses={**COMMON},
    summary="Search the guidance, the measure library or the labelled examples",
)
def search(
    caller: Caller,
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
    return SearchOut(query=q, kind=kind, results=service.search(q, k=k, kind=kind, team=caller.team))


@router.post(
    "/corrections",
    status_code=201,
    response_model=CorrectionOut,
    responses={**COMMON, **problems(404)},
    summary="Record that a statement is an output or an outcome",
)
def correct(body: CorrectionIn, caller: Staff, service: ServiceDep, settings: SettingsDep) -> CorrectionOut:
    """For the caller's team: applies to identical (and nearly identical) text at once, and to the team's own
    model at its next training; other teams are not affected unless an administrator promotes it. Needs an api
    or trainer key (corrections made in a conversation, from the widget or Slack, are recorded for review)."""
    check_statement(body.text, settings, "statement")
    if body.session_id:
        session_team(service, caller, body.session_id)  # 404 unless the session is the caller's
    cid = service.correct(body.text, body.label, team=caller.team, source="api", session_id=body.session_id)
    return CorrectionOut(id=cid, text=body.text.strip(), label=body.label)


def _out(c: CorrectionRecord) -> CorrectionRecordOut:
    return CorrectionRecordOut(**{k: getattr(c, k) for k in CorrectionRecordOut.model_fields})


CorrectionId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The correction's id.")]


@router.get(
    "/corrections",
    response_model=CorrectionList,
    responses={**COMMON},
    summary="List the team's corrections for review, newest first",
)
def list_corrections(
    caller: Staff,
    service: ServiceDep,
    status: Annotated[
        Literal["active", "promoted", "reverted"] | None, Query(description="Only corrections with this status.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many.")] = 100,
) -> CorrectionList:
    """Every correction made with the caller's team's keys: by staff, and by people in the widget or Slack
    ("no, that is an outcome"). Staff only."""
    return CorrectionList(corrections=[_out(c) for c in service.list_corrections(caller.team, status, limit)])


@router.post(
    "/corrections/{correction_id}/promote",
    response_model=CorrectionRecordOut,
    responses={**COMMON, **problems(404)},
    summary="Promote a team's correction to the shared model",
)
def promote_correction(correction_id: CorrectionId, caller: Staff, service: ServiceDep) -> CorrectionRecordOut:
    """The shared model learns it (retrained now): every team's classifications follow it. Only a correction of
    the caller's team, and only with an api or trainer key."""
    return _out(service.promote_correction(correction_id, by=_who(caller), team=caller.team))


@router.post(
    "/corrections/{correction_id}/revert",
    response_model=CorrectionRecordOut,
    responses={**COMMON, **problems(404)},
    summary="Revert a correction: it stops applying at once",
)
def revert_correction(correction_id: CorrectionId, caller: Staff, service: ServiceDep) -> CorrectionRecordOut:
    """For its team at once, and for every team if it had been promoted (the shared model is retrained)."""
    return _out(service.revert_correction(correction_id, by=_who(caller), team=caller.team))


def _who(caller: Any) -> str:
    return f"key:{caller.prefix}" if caller.prefix else f"{caller.kind}:{caller.team}"
