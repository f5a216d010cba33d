"""The widget's and the trainer page's rough edges, in real Chromium against the real server: long pastes, typing
while the coach thinks, suggestion chips that answer, full measure cards, the map of a summary as cards, delete
confirmed inside the widget, join links and QR codes, start / close / reset, the feed, and docs that work offline."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, Route, expect

from coach.domain import Chain, Classification

pytestmark = [pytest.mark.browser, pytest.mark.integration]

OUTPUT = "We ran 14 workshops for team leads this quarter"
SHADOW = "document.querySelector('[data-outcome-coach]').shadowRoot"


def open_widget(page: Page, base: str, query: str = "") -> None:
    page.goto(base + "/" + query)
    page.get_by_role("button", name="Open the Outcome coach").click()
    expect(page.get_by_role("log", name="Conversation with the coach")).to_contain_text("outcomes coach")


def say(page: Page, text: str) -> None:
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def measure(name: str, kind: str, fit: str) -> dict[str, Any]:
    return {
        "id": name,
        "library_id": "" if fit == "drafted" else name,
        "name": name,
        "definition": f"How {name.lower()} changes for new hires.",
        "calculation": "new hires still employed at 12 months ÷ new hires × 100",
        "unit": "percent",
        "direction": "increase",
        "kind": kind,
        "who": "new hires",
        "data_sources": ["HR information system", "exit interviews"],
        "data_owner": "HR analytics lead",
        "cadence": "quarterly",
        "outcome_themes": [],
        "gaming_risk": "Counting internal moves as stays.",
        "balancing_measure": "Internal transfer rate.",
        "domain": "hr",
        "fit": 0.8,
        "fit_label": fit,
        "drafted": fit == "drafted",
        "baseline_prompt": "What share stays a year today?",
        "target_prompt": "What share by when?",
        "collectability": "",
    }


def summary_turn() -> dict[str, Any]:
    """A summary reply as the conversation engine sends it: the map as data, and (older style) as Markdown too."""
    measures = [
        measure("First-year retention", "lagging", "close match"),
        measure("Feedback quality", "leading", "drafted"),
    ]
    chain = {
        "id": "c1",
        "origin": OUTPUT,
        "origin_label": "output",
        "rungs": ["Team leads give clearer feedback"],
        "outcome": "Fewer new hires quit in their first year",
        "status": "outcome",
        "measures": measures,
        "outcome_statement": "First-year retention: from 70% to 85% by June",
    }
    omap = {"title": "Outcome map", "nodes": [], "edges": [], "chains": [chain]}
    reply = {
        "text": "Here's your outcome map so far:\n\n# Outcome map\n\n## 1. Fewer new hires quit\n\n- **Output:** We ran"
        "\n\n| Measure | Kind |\n|---|---|\n\nWhat would you like to look at next?",
        "statements": [],
        "question": "What would you like to look at next?",
        "options": ["Fewer repeat incidents", "Managers coach every week"],
        "measures": measures,
        "citations": [],
        "state": "idle",
        "queued": [],
        "map": omap,
    }
    return {"reply": reply, "map": omap, "replayed": False}


# ----- compose -----------------------------------------------------------------------------------------


def test_a_paste_over_the_limit_is_kept_whole_with_a_warning(page: Page, live_server: str, screenshot: Any) -> None:
    open_widget(page, live_server)
    long = ("We ran workshops for team leads and trained managers in every region. " * 200)[:12_345]
    box = page.get_by_label("Your message")
    box.fill(long)
    assert page.evaluate(f"() => {SHADOW}.querySelector('#oc-input').value.length") == 12_345  # nothing cut
    warning = page.locator("#oc-limit")
    expect(warning).to_contain_text("12,345 characters")
    expect(warning).to_contain_text("Nothing has been cut")
    expect(page.get_by_role("button", name="Send")).to_be_disabled()
    box.press("Enter")
    expect(page.locator(".oc-msg-user")).to_have_count(0)  # not sent, still there
    screenshot(page, "widget-long-paste.png")
    box.fill(long[:9_000])
    expect(warning).to_be_hidden()
    expect(page.get_by_role("button", name="Send")).to_be_enabled()


def test_text_typed_while_the_coach_is_thinking_is_kept(page: Page, live_server: str) -> None:
    open_widget(page, live_server)
    held: list[Route] = []
    page.route("**/v1/sessions/*/messages", lambda route: held.append(route))
    say(page, OUTPUT)
    for _ in range(100):  # route handlers run while Playwright waits
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the message was not sent"
    box = page.get_by_label("Your message")
    expect(box).to_have_value("")  # the sent text moved into the conversation at once
    expect(box).to_be_editable()
    box.press_sequentially("and we also trained 200 managers")
    expect(page.locator(".oc-thinking")).to_be_visible()
    held[0].continue_()
    expect(page.locator(".oc-msg-coach")).to_have_count(2)
    expect(box).to_have_value("and we also trained 200 managers")


# ----- replies: suggestion chips, measure cards, the map as cards ---------------------------------------


def test_suggestions_send_measure_cards_show_every_field_and_a_summary_map_is_cards(
    page: Page, live_server: str, screenshot: Any
) -> None:
    open_widget(page, live_server)
    sent: list[str] = []
    canned = summary_turn()

    def answer(route: Route) -> None:
        body = json.loads(route.request.post_data or "{}")
        sent.append(body.get("text", ""))
        if len(sent) == 1:
            route.fulfill(status=200, content_type="application/json", body=json.dumps(canned))
        else:
            route.continue_()

    page.route("**/v1/sessions/*/messages", answer)
    say(page, "summary")
    bubble = page.locator(".oc-msg-coach").last
    cards = bubble.locator(".oc-mapcard")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(OUTPUT)
    expect(cards.first).to_contain_text("Team leads give clearer feedback")
    expect(cards.first).to_contain_text("Fewer new hires quit in their first year")
    text = bubble.inner_text()
    assert "##" not in text and "**" not in text and "|---" not in text, text  # never raw Markdown
    assert "Here's your outcome map so far:" in text
    first = bubble.locator(".oc-measure").first
    for shown in (
        "First-year retention",
        "lagging",
        "Close match",
        "How first-year retention changes for new hires.",
        "new hires still employed at 12 months ÷ new hires × 100",
        "HR analytics lead",
        "quarterly",
        "HR information system, exit interviews",
    ):
        expect(first).to_contain_text(shown)
    expect(bubble.locator(".oc-measure").nth(1).locator(".oc-fit")).to_have_text("Drafted for you")
    order = bubble.evaluate(
        "b => [...b.querySelectorAll('.oc-mapcard, .oc-measure, .oc-question, .oc-options')].map(e => e.className)"
    )
    assert [c.split()[0] for c in order][-2:] == ["oc-question", "oc-options"], order  # the question comes last
    screenshot(page, "widget-summary-cards.png")
    bubble.get_by_role("button", name="Fewer repeat incidents").click()
    expect(page.locator(".oc-msg-user").last).to_contain_text("Fewer repeat incidents")
    expect(page.locator(".oc-msg-coach")).to_have_count(3)
    assert sent == ["summary", "Fewer repeat incidents"]


def test_real_conversation_measure_cards_carry_fit_owner_and_cadence(
    page: Page, live_server: str, screenshot: Any
) -> None:
    open_widget(page, live_server)
    say(page, OUTPUT)
    expect(page.locator(".oc-msg-coach")).to_have_count(2)
    say(page, "Team leads give clearer feedback, so fewer new hires quit in their first year")
    card = page.locator(".oc-measure").first
    expect(card).to_be_visible()
    expect(card.locator(".oc-fit")).to_have_text(re.compile("^(Close match|Partial match|Drafted for you)$"))
    for term in ("Calculation", "Owner", "Cadence", "Data source"):
        expect(card.locator("dt", has_text=term)).to_be_visible()
    card.scroll_into_view_if_needed()
    screenshot(page, "widget-measures.png")


# ----- delete, buttons, join links ----------------------------------------------------------------------


def test_delete_is_confirmed_inside_the_widget(page: Page, live_server: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    open_widget(page, live_server)
    say(page, OUTPUT)
    expect(page.locator(".oc-msg-coach")).to_have_count(2)
    first = page.evaluate("() => localStorage.getItem(Object.keys(localStorage).find(k => k.endsWith(':session')))")
    page.get_by_role("tab", name="Outcome map").click()
    page.get_by_role("button", name="Delete this conversation").click()
    confirm = page.get_by_role("alertdialog", name="Delete this conversation?")
    expect(confirm).to_be_visible()
    page.get_by_role("button", name="Keep it").click()
    expect(confirm).to_be_hidden()
    page.get_by_role("button", name="Delete this conversation").click()
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Conversation deleted.")).to_be_visible()
    expect(page.locator(".oc-msg-user")).to_have_count(0)
    assert dialogs == []  # never the browser's confirm()
    assert httpx.get(f"{live_server}/v1/sessions/{first}", timeout=10).status_code == 404


def test_join_workshop_and_new_are_buttons(page: Page, live_server: str) -> None:
    open_widget(page, live_server)
    for name in ("Join workshop", "New conversation"):
        style = page.get_by_role("button", name=name).evaluate(
            "b => { const s = getComputedStyle(b); return [s.borderTopStyle, s.borderTopWidth, s.textDecorationLine,"
            " s.backgroundColor, s.borderRadius]; }"
        )
        assert style[0] == "solid" and style[1] != "0px" and style[2] == "none", style
        assert style[3] not in ("rgba(0, 0, 0, 0)", "transparent") and style[4] != "0px", style


def test_a_join_link_opens_the_join_form_filled_in(page: Page, live_server: str) -> None:
    code = httpx.post(live_server + "/v1/workshops", json={"title": "Join link"}, timeout=30).json()["code"]
    page.goto(f"{live_server}/?coach-join={code}")
    expect(page.get_by_label("Workshop code")).to_have_value(code)
    expect(page.get_by_label("Your name")).to_be_focused()
    page.keyboard.type("Ada")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.locator(".oc-badge")).to_have_text(f"Workshop {code}")


# ----- the trainer's page ---------------------------------------------------------------------------------


def test_trainer_page_qr_controls_unsure_stuck_and_feed(
    context: Any, live_server: str, real_service: Any, screenshot: Any
) -> None:
    made = httpx.post(live_server + "/v1/workshops", json={"title": "Outcomes clinic — HR, March"}, timeout=30).json()
    code = made["code"]
    names = ["Ada", "Ben", "Chidi", "Dana", "Eero", "Fatima with a rather long name indeed"]
    sids = [real_service.start_session(mode="workshop", workshop=code, participant=n).id for n in names]
    long = "We published the new expenses policy and " + "explained every rule in detail " * 12
    for i, sid in enumerate(sids):
        with real_service.sessions.transaction() as tx:
            tx.add_statements(
                sid,
                1,
                [
                    Classification(
                        text=long if i == 5 else f"We ran {i + 3} workshops",
                        label="output",
                        confidence=0.97,
                        rationale="r",
                    ),
                    Classification(
                        text=f"Managers feel more confident ({i})", label="outcome", confidence=0.69, rationale="r"
                    ),
                ],
            )
            tx.save_chains(
                sid,
                [
                    Chain(
                        id=f"x{i}",
                        origin=f"We ran {i + 3} workshops",
                        origin_label="output",
                        status="skipped" if i % 2 else "open",
                    )
                ],
            )
    page = context.new_page()
    page.on("dialog", lambda d: pytest.fail(f"a browser dialog opened: {d.type}"))
    page.goto(f"{live_server}/trainer/{code}")
    expect(page.locator("#t-live")).to_have_text("Live")
    qr = page.get_by_role("img", name=f"QR code to join workshop {code}")
    expect(qr).to_be_visible()
    assert page.evaluate("() => document.getElementById('t-qr').naturalWidth") > 0
    expect(page.locator("#t-join-url")).to_have_attribute("href", f"{live_server}/?coach-join={code}")
    expect(page.locator("#t-unsure .t-unsure-item")).to_have_count(6)  # every 69 % call is worth discussing
    expect(page.locator("#t-unsure")).to_contain_text("Managers feel more confident")
    expect(page.locator("#t-stuck .t-stuck-item")).to_have_count(6)
    expect(page.locator("#t-stuck")).to_contain_text("Fatima with a rather long name indeed")
    feed = page.locator("#t-feed")
    expect(feed.locator(".t-item")).to_have_count(12)
    overflow = page.evaluate(
        """() => { const f = document.getElementById('t-feed'); const p = f.closest('.t-panel').getBoundingClientRect();
          return { inner: f.scrollHeight - f.clientHeight,
                   cut: [...f.querySelectorAll('.t-item')].filter(i => { const r = i.getBoundingClientRect();
                          return r.left < p.left || r.right > p.right + 0.5 || r.bottom > p.bottom + 0.5; }).length }; }"""
    )
    assert overflow == {"inner": 0, "cut": 0}, overflow  # no inner scroll box, no card sticking out of the panel
    screenshot(page, "trainer-full.png")

    page.get_by_role("button", name="Close", exact=True).click()
    expect(page.locator("#t-status")).to_have_text("Closed")
    refused = httpx.post(
        live_server + "/v1/sessions", json={"mode": "workshop", "workshop": code, "participant": "Late"}, timeout=30
    )
    assert refused.status_code == 409
    page.get_by_role("button", name="Reopen").click()
    expect(page.locator("#t-status")).to_have_text("Open to participants")
    page.get_by_role("button", name="Reset…").click()
    dialog = page.get_by_role("dialog", name=f"Reset workshop {code}?")
    expect(dialog).to_be_visible()
    page.get_by_role("button", name="Keep everything").click()
    expect(dialog).to_be_hidden()
    expect(feed.locator(".t-item")).to_have_count(12)
    page.get_by_role("button", name="Reset…").click()
    page.get_by_role("button", name="Delete and reset").click()
    expect(page.locator("#t-action-status")).to_contain_text("6 participant session(s) removed")
    expect(feed.locator(".t-item")).to_have_count(0)
    expect(page.locator("#t-participants")).to_have_text("0")


# ----- /docs and /redoc with no internet ----------------------------------------------------------------------


@pytest.mark.parametrize(("path", "rendered"), [("/docs", ".opblock"), ("/redoc", "h2")])
def test_api_docs_render_offline(page: Page, live_server: str, path: str, rendered: str) -> None:
    outside: list[str] = []

    def only_here(route: Route) -> None:
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", only_here)
    page.goto(live_server + path)
    page.wait_for_selector(rendered, timeout=30_000)
    assert page.locator(rendered).count() >= 10
    operation = "Classify statements as outputs or outcomes"
    if path == "/docs":
        expect(page.locator(".opblock-summary-description", has_text=operation)).to_be_visible()
    else:
        expect(page.get_by_role("heading", name=operation)).to_be_visible()
    assert outside == [], outside
