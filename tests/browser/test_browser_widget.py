"""The widget and the trainer page in real Chromium, against the real model on a real server."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.integration]

OUTPUT = "We ran 14 workshops for team leads this quarter"
OUTCOME = "Team leads give clearer feedback, so fewer new hires quit in their first year"
PAYLOAD = "We shipped <img src=x onerror=alert(1)> to 40 teams"


def open_widget(page: Page, base: str) -> None:
    page.goto(base + "/")
    page.get_by_role("button", name="Open the Outcome coach").click()
    expect(page.get_by_role("log", name="Conversation with the coach")).to_contain_text("outcomes coach")


def say(page: Page, text: str) -> None:
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def coach_messages(page: Page) -> Any:
    return page.locator(".oc-msg-coach")


def test_demo_conversation_chips_question_measures_and_map(page: Page, live_server: str, screenshot: Any) -> None:
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="Plan for outcomes, not just outputs")).to_be_visible()
    page.get_by_role("button", name="Open the Outcome coach").click()
    log = page.get_by_role("log", name="Conversation with the coach")
    expect(log).to_contain_text("outcomes coach")

    say(page, OUTPUT)
    expect(coach_messages(page)).to_have_count(2)
    chip = page.locator(".oc-chip-output").first
    expect(chip).to_be_visible()
    expect(chip).to_contain_text("%")
    expect(page.locator(".oc-question").last).to_be_visible()
    why = page.get_by_role("button", name="Why output?").first
    expect(why).to_have_attribute("aria-expanded", "false")
    why.click()
    expect(why).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".oc-whybox").first).to_be_visible()
    expect(page.locator(".oc-whybox").first).not_to_be_empty()

    say(page, OUTCOME)
    expect(coach_messages(page)).to_have_count(3)
    expect(page.locator(".oc-chip-outcome").first).to_be_visible()
    cards = page.locator(".oc-measure")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 2
    expect(cards.first.locator(".oc-kind")).to_have_text(re.compile("^(leading|lagging)$"))
    expect(page.get_by_label("Your message")).to_have_value("")
    screenshot(page, "demo.png")

    page.get_by_role("tab", name="Outcome map").click()
    img = page.locator(".oc-map-img")
    expect(img).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('[data-outcome-coach]').shadowRoot.querySelector('.oc-map-img').naturalWidth > 0"
    )
    assert img.get_attribute("src").startswith("blob:")
    assert "Outcome map" in (img.get_attribute("alt") or "")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download Markdown").click()
    assert dl.value.suggested_filename == "outcome-map.md"
    screenshot(page, "demo-map.png")


def test_reload_keeps_the_conversation(page: Page, live_server: str) -> None:
    open_widget(page, live_server)
    say(page, OUTPUT)
    expect(coach_messages(page)).to_have_count(2)
    page.get_by_label("Your message").fill("half-typed thought")
    page.reload()
    log = page.get_by_role("log", name="Conversation with the coach")
    expect(log).to_contain_text(OUTPUT)  # the panel reopens with the same session
    expect(coach_messages(page)).to_have_count(2)
    expect(page.locator(".oc-chip-output").first).to_be_visible()
    expect(page.get_by_label("Your message")).to_have_value("half-typed thought")


def test_markup_in_a_statement_is_shown_as_text(page: Page, live_server: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_widget(page, live_server)
    say(page, PAYLOAD)
    expect(coach_messages(page)).to_have_count(2)
    expect(page.locator(".oc-msg-user").last).to_have_text("You said: " + PAYLOAD)
    page.wait_for_timeout(500)
    images = page.evaluate("""() => {
        const root = document.querySelector('[data-outcome-coach]').shadowRoot;
        return Array.from(root.querySelectorAll('img')).map(i => [i.className, i.getAttribute('src') || '']);
    }""")
    # the only image in the widget is its own map (a blob: URL, or none yet): nothing came from the text
    assert all(cls == "oc-map-img" and (src == "" or src.startswith("blob:")) for cls, src in images), images
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert dialogs == []


def test_unreachable_server_shows_a_message_and_keeps_the_text(page: Page, live_server: str) -> None:
    open_widget(page, live_server)
    page.route("**/v1/**", lambda route: route.abort("internetdisconnected"))
    say(page, OUTPUT)
    status = page.get_by_role("alert").filter(has_text="Can't reach the coach")
    expect(status).to_be_visible()
    expect(page.get_by_label("Your message")).to_have_value(OUTPUT)
    expect(page.locator(".oc-msg-user")).to_have_count(0)
    page.unroute("**/v1/**")
    page.get_by_role("button", name="Send").click()
    expect(coach_messages(page)).to_have_count(2)
    expect(status).to_be_hidden()
    expect(page.get_by_label("Your message")).to_have_value("")
    expect(page.locator(".oc-msg-user")).to_have_count(1)


def test_keyboard_open_send_and_close(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    launcher = page.get_by_role("button", name="Open the Outcome coach")
    launcher.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Outcome coach")).to_be_visible()
    expect(page.get_by_label("Your message")).to_be_focused()
    page.keyboard.type(OUTPUT)
    page.keyboard.press("Enter")
    expect(coach_messages(page)).to_have_count(2)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Outcome coach")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_phone_layout_fills_the_screen(browser: Any, live_server: str, screenshot: Any) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        open_widget(page, live_server)
        say(page, OUTPUT)
        expect(coach_messages(page)).to_have_count(2)
        dialog = page.get_by_role("dialog", name="Outcome coach")
        box = dialog.bounding_box()
        for _ in range(50):  # the panel may still be settling (its open transition) on a loaded machine
            if box is not None and box["width"] == 390 and box["x"] == 0:
                break
            page.wait_for_timeout(100)
            box = dialog.bounding_box()
        assert box is not None and box["width"] == 390 and box["x"] == 0, box
        size = page.evaluate("""() => getComputedStyle(document.querySelector('[data-outcome-coach]')
            .shadowRoot.querySelector('.oc-input')).fontSize""")
        assert size == "16px"
        screenshot(page, "demo-phone.png")
    finally:
        ctx.close()


def test_trainer_page_updates_live(context: Any, live_server: str, screenshot: Any) -> None:
    made = httpx.post(live_server + "/v1/workshops", json={"title": "Outcomes clinic — HR, March"}, timeout=30)
    assert made.status_code == 201, made.text
    code = made.json()["code"]
    trainer = context.new_page()
    trainer.goto(f"{live_server}/trainer/{code}")
    expect(trainer.locator("#t-live")).to_have_text("Live")
    expect(trainer.get_by_role("heading", name="Outcomes clinic — HR, March")).to_be_visible()

    participant = context.browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    try:
        open_widget(participant, live_server)
        participant.get_by_role("button", name="Join workshop").click()
        participant.get_by_label("Workshop code").fill(code.lower())
        participant.get_by_label("Your name").fill("Ada")
        participant.get_by_role("button", name="Join", exact=True).click()
        expect(participant.locator(".oc-badge")).to_have_text(f"Workshop {code}")
        say(participant, OUTPUT)
        expect(coach_messages(participant)).to_have_count(2)

        feed = trainer.get_by_role("log", name="Statements")
        expect(feed).to_contain_text(OUTPUT)
        expect(feed).to_contain_text("Ada")
        expect(trainer.locator("#t-outputs")).to_have_text("1")
        expect(trainer.locator("#t-participants")).to_have_text("1")

        say(participant, OUTCOME)
        expect(coach_messages(participant)).to_have_count(3)
        expect(trainer.locator("#t-outcomes")).to_have_text("1")
        expect(trainer.locator("#t-chains")).to_contain_text(OUTCOME)
        expect(trainer.locator("#t-measures .t-tag").first).to_be_visible()
        href = trainer.get_by_role("link", name="Markdown").get_attribute("href")
        assert href == f"/v1/workshops/{code}/map?format=md&download=true"
        screenshot(trainer, "trainer.png")
    finally:
        participant.context.close()
