"""Liveness and readiness probes (no key needed: they reveal nothing about anyone's data)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from api.deps import ServiceDep

router = APIRouter(tags=["ops"])


@router.get("/healthz", summary="The process is alive", operation_id="healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.head("/healthz", summary="The process is alive (headers only)", operation_id="healthz_head")
async def healthz_head() -> Response:
    return Response(status_code=200, media_type="application/json", headers={"content-length": "15"})


@router.get(
    "/readyz",
    summary="The model, the index and the database are ready",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "model": True,
                        "index": {"guidance": 40, "measures": 60, "examples": 400},
                        "database": True,
                        "classifier": True,
                        "ready": True,
                    }
                }
            }
        },
        503: {"description": "Not ready yet; the body says what is missing"},
    },
)
async def readyz(service: ServiceDep) -> JSONResponse:
    checks: dict[str, Any] = await run_in_threadpool(service.readiness)
    return JSONResponse(checks, status_code=200 if checks.get("ready") else 503)
