"""coach/segment.py: free text → statements with exact character spans."""

from __future__ import annotations

import random
import re

import pytest

from coach.segment import segment


def texts(message: str, split: bool = True) -> list[str]:
    return [s.text for s in segment(message, split=split)]


def assert_spans(message: str, split: bool = True) -> None:
    stmts = segment(message, split=split)
    last_end = 0
    for st in stmts:
        assert message[st.start : st.end] == st.text, (message, st)
        assert st.text == st.text.strip(), f"statement not trimmed: {st.text!r}"
        assert st.text, "empty statement"
        assert st.start >= last_end, f"statements overlap or go backwards in {message!r}"
        last_end = st.end


# ----- the examples ----------------------------------------------------------------------------


def test_two_things_done_and_a_reaction_make_three_statements() -> None:
    msg = "We ran 14 workshops and trained 200 managers; attendance was great"
    assert texts(msg) == ["We ran 14 workshops", "trained 200 managers", "attendance was great"]
    assert_spans(msg)


@pytest.mark.parametrize(
    "msg",
    [
        "Launch the new customer portal",
        "Customers trust and recommend us",
        "Customers trust us with their data",
        "Reduce the time customers wait for a refund from 10 days to 2",
        "Increase the number of blog posts to 20 a month",
        "Participants can explain the new policy on a post-test",
        "Hire 5 nurses",
    ],
)
def test_a_single_statement_stays_one(msg: str) -> None:
    assert texts(msg) == [msg]


def test_single_statement_with_final_full_stop_keeps_it() -> None:
    assert texts("We closed 500 incident records last month.") == ["We closed 500 incident records last month."]


# ----- lists and paragraphs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "msg",
    [
        "- Launch the portal\n- Train 40 agents\n- Publish the FAQ",
        "* Launch the portal\n* Train 40 agents\n* Publish the FAQ",
        "• Launch the portal\n• Train 40 agents\n• Publish the FAQ",
        "1. Launch the portal\n2. Train 40 agents\n3. Publish the FAQ",
        "1) Launch the portal\n2) Train 40 agents\n3) Publish the FAQ",
        "  - Launch the portal\n  - Train 40 agents\n  - Publish the FAQ\n",
        "Our goals:\n- Launch the portal\n- Train 40 agents\n- Publish the FAQ",
    ],
)
def test_list_items_become_statements_without_their_markers(msg: str) -> None:
    got = texts(msg)
    assert got[-3:] == ["Launch the portal", "Train 40 agents", "Publish the FAQ"]
    if msg.startswith("Our goals"):
        assert got[0] == "Our goals"
        assert len(got) == 4
    else:
        assert len(got) == 3
    assert_spans(msg)


def test_mixed_bullet_styles_in_one_message() -> None:
    msg = "- Launch the portal\n* Train 40 agents\n3) Publish the FAQ\n• Cut wait times"
    assert texts(msg) == ["Launch the portal", "Train 40 agents", "Publish the FAQ", "Cut wait times"]


def test_list_item_continued_on_the_next_line_stays_one_statement() -> None:
    msg = "- Launch the self-service portal\n  for all retail customers\n- Train 40 agents"
    got = texts(msg)
    assert len(got) == 2
    assert got[0].startswith("Launch the self-service portal")
    assert got[0].endswith("for all retail customers")
    assert got[1] == "Train 40 agents"
    assert_spans(msg)


def test_paragraphs_are_separate_statements() -> None:
    msg = "We rebuilt the intake form\n\nFamilies now find housing faster\n\n\nStaff feel supported"
    assert texts(msg) == ["We rebuilt the intake form", "Families now find housing faster", "Staff feel supported"]
    assert_spans(msg)


def test_windows_line_endings() -> None:
    msg = "- Launch the portal\r\n- Train 40 agents\r\n"
    assert texts(msg) == ["Launch the portal", "Train 40 agents"]
    assert_spans(msg)


# ----- sentences and clauses -----------------------------------------------------------------------------


def test_sentences_split_on_terminal_punctuation() -> None:
    msg = "We launched the portal. Customers now self-serve! Did churn fall? Yes, by a third."
    assert texts(msg) == [
        "We launched the portal.",
        "Customers now self-serve!",
        "Did churn fall?",
        "Yes, by a third.",
    ]
    assert_spans(msg)


def test_semicolons_separate_clauses() -> None:
    msg = "We cut costs; staff feel valued; customers stay longer"
    assert texts(msg) == ["We cut costs", "staff feel valued", "customers stay longer"]
    assert_spans(msg)


def test_and_without_a_new_action_does_not_split() -> None:
    # "and" joining two nouns, or two state verbs, is not two things done.
    assert texts("Patients and carers feel listened to") == ["Patients and carers feel listened to"]
    assert texts("We published the report and the dashboard") == ["We published the report and the dashboard"]


# ----- things that look like sentence ends but are not -------------------------------------------------


@pytest.mark.parametrize(
    "msg",
    [
        "We hired staff, e.g. nurses and porters, to cover nights.",
        "Use plain words, i.e. no jargon, in every letter.",
        "Mr. Smith trained the new agents last month.",
        "Dr. Patel ran the diabetes clinic.",
        "We served approx. 300 families in the spring.",
        "Revenue grew by approx. 3.5 percent vs. last year.",
        "Conversion rose 3.5% after the redesign.",
        "Churn fell from 4.25% to 2.1% in Q3.",
        "Version 2.0.1 shipped to 1,250 users.",
    ],
)
def test_abbreviations_and_decimals_do_not_split(msg: str) -> None:
    assert texts(msg) == [msg]


def test_decimals_survive_and_real_sentence_ends_still_split() -> None:
    msg = "Conversion rose 3.5% after the redesign. Churn fell to 2.1%."
    assert texts(msg) == ["Conversion rose 3.5% after the redesign.", "Churn fell to 2.1%."]


def test_abbreviation_inside_a_multi_sentence_message() -> None:
    msg = "We trained managers, e.g. team leads and supervisors. They now hold weekly 1:1s."
    assert texts(msg) == ["We trained managers, e.g. team leads and supervisors.", "They now hold weekly 1:1s."]


# ----- emoji and other languages -----------------------------------------------------------------------


def test_emoji_are_kept_and_spans_are_exact() -> None:
    msg = "Customers love the new app 🎉. Support tickets fell 20% 🚀"
    got = texts(msg)
    assert got == ["Customers love the new app 🎉.", "Support tickets fell 20% 🚀"]
    assert_spans(msg)


def test_emoji_bullets_and_flags() -> None:
    msg = "🚀 We shipped the app\n\n🇫🇷 Les clients nous font confiance 👍"
    got = texts(msg)
    assert len(got) == 2
    assert "We shipped the app" in got[0]
    assert got[1].endswith("👍")
    assert_spans(msg)


def test_french() -> None:
    msg = "Nous avons organisé 12 ateliers. Les clients nous font confiance."
    assert texts(msg) == ["Nous avons organisé 12 ateliers.", "Les clients nous font confiance."]


def test_german() -> None:
    msg = "Wir haben 12 Workshops durchgeführt. Die Kunden vertrauen uns."
    assert texts(msg) == ["Wir haben 12 Workshops durchgeführt.", "Die Kunden vertrauen uns."]


def test_japanese_full_stops_split_without_spaces() -> None:
    msg = "ワークショップを12回開催した。顧客の満足度が上がった。"
    assert texts(msg) == ["ワークショップを12回開催した。", "顧客の満足度が上がった。"]
    assert_spans(msg)


# ----- split=False and degenerate input ----------------------------------------------------------------


def test_no_split_keeps_the_whole_trimmed_text() -> None:
    msg = "  We ran 14 workshops and trained 200 managers; attendance was great.\n- Another item  "
    stmts = segment(msg, split=False)
    assert len(stmts) == 1
    assert stmts[0].text == msg.strip()
    assert msg[stmts[0].start : stmts[0].end] == stmts[0].text


@pytest.mark.parametrize("msg", ["", "   ", "\n\n\t", " ; ; ", "- \n* \n"])
def test_nothing_to_say_gives_no_statements(msg: str) -> None:
    assert segment(msg) == []


def test_punctuation_only_pieces_are_dropped() -> None:
    assert texts("We launched the portal. ... !!") == ["We launched the portal."]


# ----- property-style: spans are exact, nothing is lost or duplicated -----------------------------------

FRAGMENTS = [
    "We ran 14 workshops",
    "Customers trust and recommend us",
    "Churn fell from 4.5% to 3.1%",
    "Staff feel valued, e.g. in the pulse survey",
    "Mr. Jones trained approx. 40 agents",
    "Publish the FAQ 📚",
    "Les clients nous font confiance",
    "Die Kunden vertrauen uns",
    "顧客の満足度が上がった",
    "Hire 5 nurses",
    "Reduce repeat incidents by half",
    "Launch the portal by Q3",
    "Patients wait less than 4 hours",
    "Number of people trained",
    "We closed 500 incident records and fixed the backlog",
]
BULLETS = ["- ", "* ", "• ", "1. ", "2) ", "  - "]
JOINERS = [". ", "; ", "! ", "? ", "\n\n", "\n"]


def _words(s: str) -> list[str]:
    # "and" may be consumed as the joint between two actions ("ran 14 workshops and trained 200 managers").
    return [w for w in re.findall(r"\w+", s) if w.lower() != "and"]


def _generate(rng: random.Random) -> tuple[str, list[str], str]:
    picked = rng.sample(FRAGMENTS, rng.randint(1, 6))
    style = rng.choice(["list", "prose", "mixed"])
    parts: list[str] = []
    if style == "list":
        for frag in picked:
            parts.append(rng.choice(BULLETS) + frag + rng.choice(["", ".", " "]) + "\n")
        return "".join(parts), picked, style
    text = ""
    for i, frag in enumerate(picked):
        text += frag
        if i < len(picked) - 1:
            text += rng.choice(JOINERS)
        elif rng.random() < 0.5:
            text += rng.choice([".", "!", "。", " 🎉", "   "])
    if style == "mixed":
        text = rng.choice(["", "  ", "\n"]) + text + "\n- " + FRAGMENTS[0] + "\n- " + FRAGMENTS[9] + "\n"
        picked = [*picked, FRAGMENTS[0], FRAGMENTS[9]]
    return text, picked, style


@pytest.mark.parametrize("seed", range(300))
def test_property_spans_exact_and_content_preserved(seed: int) -> None:
    rng = random.Random(seed)
    message, fragments, style = _generate(rng)
    for split in (True, False):
        assert_spans(message, split=split)
    stmts = segment(message)
    assert stmts, message
    # Every word of every fragment appears, once, in order, across the statements (bullets are not content).
    got = [w for st in stmts for w in _words(st.text)]
    expected = [w for frag in fragments for w in _words(frag)]
    assert got == expected, message
    if style == "list":  # one list item never merges with the next
        assert len(stmts) >= len(fragments), message
    # split=False never loses anything either.
    whole = segment(message, split=False)
    assert len(whole) == 1 and whole[0].text == message.strip()


# ----- mixed statements: the outcome and the output meant to bring it about --------------------------------


@pytest.mark.parametrize(
    ("msg", "parts"),
    [
        (
            "Improve customer satisfaction by implementing a new chatbot",
            ["Improve customer satisfaction", "implementing a new chatbot"],
        ),
        (
            "Cut customer churn by 10% by launching a health-check call for every new account",
            ["Cut customer churn by 10%", "launching a health-check call for every new account"],
        ),
        (
            "Run weekly clinics so that fewer patients miss their medication",
            ["Run weekly clinics", "fewer patients miss their medication"],
        ),
        ("Hire two more pharmacists so patients wait less", ["Hire two more pharmacists", "patients wait less"]),
        (
            "We want fewer security incidents, so we rolled out MFA",
            ["We want fewer security incidents", "we rolled out MFA"],
        ),
        ("Send text reminders to reduce missed visits", ["Send text reminders", "reduce missed visits"]),
        (
            "Plant 5,000 street trees in order to cool the hottest streets",
            ["Plant 5,000 street trees", "cool the hottest streets"],
        ),
        ("Increase donor retention through a thank-you call", ["Increase donor retention", "a thank-you call"]),
        (
            "Fewer patients are readmitted since we started follow-up calls",
            ["Fewer patients are readmitted", "we started follow-up calls"],
        ),
        (
            "Because we moved the contact centre onto a new system, callers reach the right team",
            ["we moved the contact centre onto a new system", "callers reach the right team"],
        ),
        (
            "We built a booking app, and now members book classes online",
            ["We built a booking app", "members book classes online"],
        ),
    ],
)
def test_mixed_statements_split_into_their_parts(msg: str, parts: list[str]) -> None:
    assert texts(msg) == parts
    assert_spans(msg)


def test_a_list_of_work_and_a_wish_makes_three_statements() -> None:
    msg = "we migrated 40 servers, rolled out MFA to all staff, and we want fewer security incidents"
    assert texts(msg) == ["we migrated 40 servers", "rolled out MFA to all staff", "we want fewer security incidents"]
    assert_spans(msg)


@pytest.mark.parametrize(
    "msg",
    [
        "Reduce repeat incidents by half",
        "Launch the portal by Q3",
        "Reduce the time to assign new tickets to an agent to under 5 minutes",
        "Increase the share of pupils reading at age level to 80%",
        "Grow revenue by 10% by the end of the year",
        "Patients wait less than 4 hours",
        "Funded by the council, the clinic opened in May",
        "Staff feel valued, e.g. in the pulse survey",
    ],
)
def test_by_to_and_so_without_a_second_part_do_not_split(msg: str) -> None:
    assert texts(msg) == [msg]


def test_no_split_keeps_a_mixed_statement_whole() -> None:
    msg = "Improve customer satisfaction by implementing a new chatbot"
    assert texts(msg, split=False) == [msg]


def test_the_mixed_statements_of_the_knowledge_base_split_in_two() -> None:
    from coach.config import DEFAULT_KNOWLEDGE
    from coach.knowledge import read_mixed

    rows = read_mixed(DEFAULT_KNOWLEDGE / "examples" / "mixed.jsonl")
    assert len(rows) >= 80

    def words(s: str) -> set[str]:
        return set(re.findall(r"\w+", s.lower()))

    def found(part: str, pieces: list[str]) -> bool:
        # the piece holding the part: most of its words, and not much else
        return any(
            len(words(part) & words(p)) >= 0.8 * len(words(part)) and len(words(p) - words(part)) <= 3 for p in pieces
        )

    good = 0
    for whole, output, outcome in rows:
        pieces = texts(whole)
        assert_spans(whole)
        good += len(pieces) == 2 and found(output, pieces) and found(outcome, pieces)
    assert good / len(rows) >= 0.9, good


def test_a_comma_before_any_verb_in_the_past_with_its_object_starts_a_new_statement() -> None:
    msg = "We ran 30 literacy classes, enrolled 120 learners on maths courses, and we want more people in work"
    assert texts(msg) == [
        "We ran 30 literacy classes",
        "enrolled 120 learners on maths courses",
        "we want more people in work",
    ]
    assert_spans(msg)
    assert texts("We refurbished the reading room, which opened in May") == [
        "We refurbished the reading room, which opened in May"
    ]
