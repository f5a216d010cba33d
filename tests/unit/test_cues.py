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
        # decisions taken by others, and practice taken up by the institutions served
        ("The council adopts the smoke-free policy we proposed", "decision_by_others"),
        ("Tariff reform policy adopted by the ministry with programme support", "decision_by_others"),
        ("Hospitals that adopted the infection prevention checklist", "decision_by_others"),
        # people receiving a service, with words between the people and what they received
        ("Pregnant women at antenatal clinics who received three doses of malaria treatment", "people_receiving"),
        ("Individuals who completed short-term training in grain storage", "reach_or_attendance"),
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


@pytest.mark.parametrize(
    "text",
    [
        "Council adopted its climate emergency action plan in March",  # its own plan: the team's own work
        "Draft the by-law on market fees",  # drafting is not a decision taken
        "Houses that were insulated",
    ],
)
def test_decisions_of_the_team_itself_are_not_decisions_by_others(text: str) -> None:
    assert "decision_by_others" not in names(text)


def test_a_relative_clause_makes_the_counted_subject_the_actor() -> None:
    """'Hospitals that adopted …': the hospitals acted, nothing was delivered to them; 'houses that were
    insulated' stays a thing delivered."""
    assert "things_delivered" not in names("Hospitals that adopted the infection prevention checklist")
    assert "things_delivered" in names("Houses that were insulated")


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


# ----- the cue families of issue 11 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue", "quoted"),
    [
        # counts of people who changed: an outcome, though it starts with a count
        ("120 participants obtained employment within six months", "people_changed", "obtained employment"),
        ("45 gained new skills", "people_changed", "gained new skills"),
        ("Number of youth who improved their attendance", "people_changed", "improved their attendance"),
        ("Staff who completed the coaching programme are promoted faster", "people_changed", "are promoted"),
        # counts of people receiving a service: an output, though the people or a purpose sound like change
        ("Number of disadvantaged individuals receiving financial literacy services", "people_receiving", "receiving"),
        ("% of tenants contacted by the income team", "people_receiving", "contacted"),
        ("Health checks received by eligible residents", "people_receiving", "received by eligible residents"),
        ("Housing units weatherized", "things_delivered", "weatherized"),
        ("Kilometres of cycle path built", "things_delivered", "built"),
        # practice adopted by the people served, professionals included
        ("Trained teachers use formative assessment in one class a week", "practice_adopted", "use formative"),
        ("District offices use the platform's data for allocation decisions", "practice_adopted", "use the platform"),
        ("Health workers enter patient data within 48 hours", "practice_adopted", "enter patient data"),
        # short change phrases
        ("Improved school attendance", "short_change_phrase", "Improved school attendance"),
        ("Enhanced coastal protection", "short_change_phrase", "Enhanced coastal protection"),
        ("Strengthened community health systems", "short_change_phrase", "Strengthened community health"),
        ("Increased forest area", "short_change_phrase", "Increased forest area"),
        # customer behaviour in product and customer-success language
        ("Adopted core features", "customer_behaviour", "Adopted core features"),
        ("Reached time-to-value", "customer_behaviour", "time-to-value"),
        ("Bulk scheduling adopted by 35% of eligible accounts", "customer_behaviour", "adopted by 35%"),
    ],
)
def test_issue_families_fire_and_quote_the_deciding_words(text: str, cue: str, quoted: str) -> None:
    hits = {h.name: h for h in find_cues(text)}
    assert cue in hits, f"{cue} did not fire on {text!r}; got {sorted(hits)}"
    hit = hits[cue]
    assert quoted.lower() in hit.phrase.lower(), hit.phrase
    assert hit.phrase.rstrip("…") in " ".join(text.split())
    assert f"'{hit.phrase}'" in hit.explanation


def test_a_purpose_clause_does_not_make_an_output_an_outcome() -> None:
    text = "Children receiving nutrition education with the purpose of reducing obesity"
    got = names(text)
    assert "people_receiving" in got
    assert not got & OUTCOME_CUES, got  # "reducing obesity" is why, not what is committed
    assert "result_moves" in names("Reducing obesity among children")
    for purpose in ("so that fewer patients miss doses", "to reduce loneliness", "in order to cut waste"):
        assert not names(f"Number of people receiving weekly calls {purpose}") & OUTCOME_CUES


def test_receiving_and_changed_are_told_apart() -> None:
    assert "people_receiving" not in names("Number of veterans who secured full-time work")
    assert "people_changed" not in names("Number of veterans who received transition counselling")
    assert "reach_or_attendance" not in names("Improved school attendance")


def test_framing_prefixes_are_ignored() -> None:
    assert names("KR: Launch the new portal") == names("Launch the new portal")
    assert names("Key result 2 — Churn fell sharply") == names("Churn fell sharply")


def test_gates_change_no_verdict() -> None:
    """Each cue's pattern runs only when a word it needs occurs; that must give the same hits as running all."""
    import coach.cues as cues_mod
    from coach.config import DEFAULT_KNOWLEDGE
    from coach.knowledge import load_examples

    texts = [e.text for e in load_examples([DEFAULT_KNOWLEDGE])][::3]
    gated = [names(t) for t in texts]
    for t, got in zip(texts, gated, strict=True):
        body = cues_mod.strip_framing(t)
        main = cues_mod.main_clause(body)
        full = {c.name for c in CUES if c.pattern.search(main if c.main_clause_only else body)}
        assert got == full, t


def test_word_lists_as_tries_match_the_same_words() -> None:
    import re

    from coach import cue_words

    for name in ("BENEFICIARY", "CHANGE_PAST", "RECEIVE", "OUTCOME_NOUNS", "PROD_PAST", "DELIVERABLE"):
        alt = getattr(cue_words, name)
        flat = re.compile(rf"(?:{alt})\Z", re.IGNORECASE)
        tried = re.compile(rf"(?:{cue_words.trie(alt)})\Z", re.IGNORECASE)
        for w in cue_words.words_of(alt):
            assert flat.match(w) and tried.match(w), (name, w)
        for w in ("xyzzy", "customersx", "teach"):
            assert bool(flat.match(w)) == bool(tried.match(w)), (name, w)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("We digitised 5,000 objects from the collection", "We digitised 5,000 objects"),
        ("We closed 3.5k tickets, and we want fewer repeats", "We closed 3.5k tickets"),
    ],
)
def test_a_quoted_phrase_keeps_its_numbers_whole(text: str, phrase: str) -> None:
    assert phrase in [h.phrase for h in find_cues(text)]  # never "We digitised 5"
