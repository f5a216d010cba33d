"""Wording a good coach would use: whole words pick the question, the second person is right, fillers go,
outcomes are states or changes, not "shoulds"."""

from __future__ import annotations

import pytest

from coach.conversation.families import family
from coach.conversation.wording import clean_reply, inline, listing, outcome_form, quote, second_person


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("We planted 400 trees on 12 sites", "generic"),  # "planted" is not "plan", "sites" is not a website
        ("We launched the new staff website", "system"),
        ("We improved onboarding for new starters", "generic"),  # onboarding is not hiring
        ("We hired five nurses", "hiring"),
        ("We trained 200 managers", "training"),
        ("We closed 500 incident records", "tickets"),
        ("We published the annual report", "publication"),
        ("We ran 14 workshops", "event"),
        ("We achieved ISO 27001 certification", "compliance"),
        ("We re-planned the rota", "generic"),
        ("We set up a framework agreement for IT hardware", "generic"),  # a contract, not a publication
        ("We wrote a competency framework for nurses", "publication"),
    ],
)
def test_the_kind_of_work_by_whole_words(text: str, kind: str) -> None:
    assert family(text) == kind


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("We closed 500 records", "You closed 500 records"),
        ("I trained 20 managers", "You trained 20 managers"),
        ("our team don't track it", "your team don't track it"),  # the person's own grammar, the right person
        ("we've rolled it out to my team", "you've rolled it out to your team"),
        ("you just told me that", "you just told me that"),  # speaks to the coach: left alone
    ],
)
def test_second_person(text: str, said: str) -> None:
    assert second_person(text) == said


@pytest.mark.parametrize(
    ("reply", "outcome"),
    [
        (
            "so that managers should actually give feedback their people act on.",
            "Managers give feedback their people act on",
        ),
        ("Well, I guess people can get back to work sooner", "People get back to work sooner"),
        ("we want fewer security incidents", "Fewer security incidents"),
        ("to reduce repeat incidents", "Fewer repeat incidents"),
        ("the team will get its weekends back", "The team gets its weekends back"),
        ("it will be easier for staff to find things", "It is easier for staff to find things"),
        ("yes, customers stop churning to the competitor", "Customers stop churning to the competitor"),
        ("our customers trust us with their data", "Your customers trust you with their data"),
        ("customers will not call back", "Customers will not call back"),
        ("and that means staff can get back to work sooner", "Staff get back to work sooner"),
        ("which would mean fewer people queue at the desk", "Fewer people queue at the desk"),
        ("and so tenants keep their homes", "Tenants keep their homes"),
        ("android users stop crashing", "Android users stop crashing"),
    ],
)
def test_outcomes_are_states_or_changes(reply: str, outcome: str) -> None:
    assert outcome_form(reply) == outcome


def test_fillers_and_markers_go() -> None:
    assert (
        clean_reply("oh and we also moved the service desk to a new tool") == "we moved the service desk to a new tool"
    )
    assert clean_reply("Hmm, tbh so tickets get resolved faster lol") == "tickets get resolved faster"


def test_small_helpers() -> None:
    assert listing(["a"]) == "a" and listing(["a", "b"]) == "a and b" and listing(["a", "b", "c"]) == "a, b and c"
    assert inline("It's mandated") == "it's mandated" and inline("ISO audit") == "ISO audit"
    assert quote("x" * 200).endswith("…") and len(quote("x " * 100)) <= 91
