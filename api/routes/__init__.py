"""HTTP routes, one module per resource. `ROUTERS` is what create_app includes."""

from __future__ import annotations

from api.routes import classify, knowledge, ops, pages, sessions, threads, workshops

ROUTERS = [
    ops.router,
    classify.router,
    sessions.router,
    threads.router,
    knowledge.router,
    workshops.router,
    pages.router,
]
