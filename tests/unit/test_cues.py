"""coach/cues.py: the linguistic cues that point to output or outcome, and quote the person's words."""

from __future__ import annotations

import numpy as np
import pytest

from coach.cues import CUE_NAMES, CUES, N_SHAPE, commitment_kind, cue_vector, find_cues

OUTPUT_CUES = {c.name for c in CUES if c.points_to == "output"}
OUTCOME_CUES = {c.name for c in CUES if c.points_to == "outcome"}


def names(text: str) -> set[str]:
    return {h.name for h in find_cues(text)}


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        # production verbs in the imperative: a deliverable or activity
        ("Launch the new customer portal", "imperative_production"),
        ("Publish the annual report", "imperative_production"),
        ("Hire 5 nurses", "imperative_production"),
        ("To roll out the CRM to every branch", "imperative_production"),
        # past-tense reports of the team's own work
        ("We trained 200 managers", "reported_production"),
        ("The team has migrated email to the cloud", "reported_production"),
        ("I wrote the onboarding guide", "reported_production"),
        # counts of activity / deliverables
        ("# of workshops held", "count_of_activity"),
        ("Number of reports published", "count_of_activity"),
        ("Total webinars delivered this year", "count_of_activity"),
        # "increase the number of X we produce" is still an output
        ("Increase the number of blog posts", "more_of_our_output"),
        ("Double the volume of press releases", "more_of_our_output"),
        # reach and participation
        ("Attendance at the clinics", "reach_or_attendance"),
        ("95% of staff completed the course", "reach_or_attendance"),
        ("Number of people trained", "reach_or_attendance"),
        # reaction to an event (Kirkpatrick level 1)
        ("Participants rated the workshop 4.6/5", "reaction_to_event"),
        ("Webinar satisfaction score of 90%", "reaction_to_event"),
        # compliance milestones
        ("Achieve ISO 27001 certification", "compliance_milestone"),
        ("Submit the GDPR report before the deadline", "compliance_milestone"),
        # service levels about our own handling
        ("Respond to every ticket within 1 hour", "service_level_commitment"),
        ("Answer 90% of calls within 20 seconds", "service_level_commitment"),
        # a change for the people served
        ("Customers can resolve billing questions without calling", "beneficiary_change"),
        ("Patients feel listened to", "beneficiary_change"),
        ("Users no longer need to phone us", "beneficiary_change"),
        ("% of participants who find a job within 6 months", "people_who"),
        ("Share of customers who renew after the first year", "people_who"),
        # results moving
        ("Reduce churn by 10%", "result_moves"),
        ("Churn fell sharply", "result_moves"),
        ("Cut the cost of each claim", "result_moves"),
        ("Readmissions dropped by a fifth", "result_moves"),
        # states and attitudes, no number needed
        ("Customers trust us with their data", "state_or_attitude"),
        ("Residents feel safe at night", "state_or_attitude"),
        ("Older people live independently at home", "state_or_attitude"),
    ],
)
def test_cue_fires_on_documented_pattern(text: str, cue: str) -> None:
    hits = {h.name: h for h in find_cues(text)}
    assert cue in hits, f"{cue} did not fire on {text!r}; got {sorted(hits)}"
    hit = hits[cue]
    # The phrase quotes the person's own words.
    assert hit.phrase.rstrip("…") in " ".join(text.split())
    assert hit.phrase
    assert hit.explanation
    assert hit.points_to == ("output" if cue in OUTPUT_CUES else "outcome")


@pytest.mark.parametrize(
    "text",
    ["Launch the new portal", "# of workshops held", "Increase the number of blog posts", "We sent 10,000 letters"],
)
def test_plain_outputs_fire_no_outcome_cue(text: str) -> None:
    got = names(text)
    assert got & OUTPUT_CUES
    assert not got & OUTCOME_CUES, got


@pytest.mark.parametrize(
    "text",
    [
        "Customers trust us with their data",
        "Churn fell sharply",
        "Residents feel safe at night",
        "Patients wait less than 4 hours in A&E",
    ],
)
def test_plain_outcomes_fire_no_output_cue(text: str) -> None:
    got = names(text)
    assert got & OUTCOME_CUES
    assert not got & OUTPUT_CUES, got


@pytest.mark.parametrize("text", ["", "The weather was nice", "Hello there", "42"])
def test_neutral_text_fires_nothing(text: str) -> None:
    assert find_cues(text) == []


def test_cues_are_case_insensitive() -> None:
    assert names("LAUNCH THE NEW PORTAL") == names("launch the new portal") == names("Launch the new portal")


def test_long_phrases_are_shortened_to_the_words_that_decide() -> None:
    text = "We trained " + " ".join(["every single frontline manager in the northern region"] * 4)
    hit = next(h for h in find_cues(text) if h.name == "reported_production")
    assert len(hit.phrase) <= 70
    assert hit.phrase.rstrip("…") in text
    assert hit.phrase.startswith("We trained")
    assert f"'{hit.phrase}'" in hit.explanation


def test_cue_vector_matches_find_cues() -> None:
    for text in ["Launch the new portal", "Customers trust us", "95% of staff completed the course by Q3", ""]:
        vec = cue_vector(text)
        assert vec.dtype == np.float32
        assert vec.shape == (len(CUE_NAMES) + N_SHAPE,)
        fired = names(text)
        assert [bool(v) for v in vec[: len(CUE_NAMES)]] == [n in fired for n in CUE_NAMES]
        assert set(np.unique(vec[: len(CUE_NAMES)])) <= {0.0, 1.0}
    shape = cue_vector("95% of staff completed the course by Q3")[len(CUE_NAMES) :]
    assert shape[0] == 1.0  # has a digit
    assert shape[1] == 1.0  # has a percentage
    assert 0 < shape[2] <= 1.0  # length
    assert shape[3] == 1.0  # has a deadline
    assert list(cue_vector("Customers trust us")[len(CUE_NAMES) :][[0, 1, 3, 4]]) == [0.0, 0.0, 0.0, 0.0]
    assert cue_vector("Children receiving nutrition education with the purpose of reducing obesity")[-1] == 1.0


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Achieve ISO 27001 certification", "compliance milestone"),
        ("Pass the annual audit", "compliance milestone"),
        ("File the tax return", "compliance milestone"),
        ("Deliver the contracted reports to the council", "contracted deliverable"),
        ("Meet the deadline for the new website", "committed deadline"),
        ("Launch the new portal", None),
        ("Customers trust us with their data", None),
    ],
)
def test_commitment_kind(text: str, kind: str | None) -> None:
    assert commitment_kind(text) == kind
