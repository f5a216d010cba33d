"""HTML and static files: the demo intranet page (GET /), the trainer's live page, widget.js and widget.css."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse

from api.deps import ServiceDep, ensure_staff, resolve
from api.errors import status_for
from api.routes.workshops import join_url, workshop_call
from coach.errors import CoachError

router = APIRouter(include_in_schema=False)

WIDGET_DIR = Path(__file__).resolve().parents[1] / "widget"
STATIC_DIR = WIDGET_DIR / "static"

#: Our own pages run only our own scripts and styles; the map arrives as a blob: image.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def render(name: str, **values: str) -> str:
    """Fill {{name}} slots of a page template; every value is HTML-escaped."""
    text = (WIDGET_DIR / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", html.escape(value, quote=True))
    return text


def page(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=PAGE_HEADERS)


def error_page(status: int, message: str, hint: str) -> HTMLResponse:
    return page(render("error.html", status=str(status), message=message, hint=hint), status)


@router.get("/")
def demo(key: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    """A demo intranet page with the widget embedded (add ?key=… to try a widget key)."""
    return page(render("demo.html", key=key))


@router.get("/trainer/{code}")
async def trainer(
    code: str, request: Request, service: ServiceDep, key: Annotated[str | None, Query(max_length=200)] = None
) -> HTMLResponse:
    """The trainer's live workshop page (needs a trainer or api key: ?key=…)."""
    try:
        principal = ensure_staff(await run_in_threadpool(resolve, request, key or _bearer(request)))
        w = await run_in_threadpool(workshop_call, code, lambda: service.workshop(code, principal.team))
    except CoachError as exc:
        return error_page(status_for(exc), exc.message, exc.hint)
    link = join_url(request, w.code)
    return page(
        render(
            "trainer.html",
            code=w.code,
            title=w.title,
            team=w.team,
            status=w.status,
            join_url=link,
            qr=qr_data_uri(link),
        )
    )


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data: URI (the page's CSP allows data: images)."""
    import segno

    return str(segno.make(text, error="m").svg_data_uri(scale=6, border=2, dark="#1d2433"))


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else None


def _static(name: str, media_type: str) -> FileResponse:
    return FileResponse(
        STATIC_DIR / name,
        media_type=media_type,
        headers={
            "Cache-Control": "public, max-age=300",
            "X-Content-Type-Options": "nosniff",
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


@router.get("/widget.js")
def widget_js() -> FileResponse:
    return _static("widget.js", "text/javascript; charset=utf-8")


@router.get("/widget.css")
def widget_css() -> FileResponse:
    return _static("widget.css", "text/css; charset=utf-8")
