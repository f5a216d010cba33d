"""The kind of work a statement describes (training, tickets, a system …), recognised by whole words — never
substrings ("planted" is not "plan", "sites" is not a website) — to choose the first ladder question, and who is
on the receiving end of each kind."""

from __future__ import annotations

import re


def _words(*stems: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(stems) + r")\b", re.I)


FAMILIES: list[tuple[str, re.Pattern[str]]] = [
    (
        "compliance",
        _words(
            r"certifi\w*",
            r"accredit\w*",
            r"complian\w*",
            r"compliant",
            r"audits?",
            r"audited",
            r"regulat\w*",
            r"statutory",
            r"gdpr",
            r"iso ?\d+",
            r"polic(?:y|ies)",
            r"risk assessments?",
            r"inspections?",
        ),
    ),
    (
        "training",
        _words(
            r"train(?:ed|ing|s)?",
            r"courses?",
            r"e-?learning",
            r"coach(?:ed|ing)",
            r"upskill\w*",
            r"mentor\w*",
            r"induction",
            r"curriculum",
            r"lessons?",
            r"tutorials?",
            r"teach(?:ing)?",
            r"taught",
        ),
    ),
    (
        "tickets",
        _words(
            r"tickets?",
            r"incidents?",
            r"requests?",
            r"cases?",
            r"claims?",
            r"complaints?",
            r"backlog",
            r"enquir(?:y|ies)",
            r"queries",
            r"calls?",
            r"applications?",
            r"invoices?",
        ),
    ),
    (
        "event",
        _words(
            r"workshops?",
            r"events?",
            r"webinars?",
            r"sessions?",
            r"meetings?",
            r"conferences?",
            r"clinics?",
            r"classes",
            r"seminars?",
            r"roadshows?",
            r"hackathons?",
            r"open days?",
            r"drop-ins?",
        ),
    ),
    ("hiring", _words(r"hire[ds]?", r"hiring", r"recruit\w*", r"vacanc(?:y|ies)", r"headcount")),
    (
        "campaign",
        _words(
            r"campaigns?",
            r"newsletters?",
            r"blogs?",
            r"posts",
            r"adverts?",
            r"ads",
            r"advertising",
            r"social media",
            r"emails",
            r"mailshots?",
            r"seo",
            r"press releases?",
            r"outreach",
            r"leaflets?",
            r"flyers?",
            r"posters?",
            r"cold calls?",
        ),
    ),
    (
        "publication",
        _words(
            r"reports?",
            r"publish\w*",
            r"guides?",
            r"handbooks?",
            r"strateg(?:y|ies)",
            r"plans?",
            r"dashboards?",
            r"articles?",
            r"papers?",
            r"studies",
            r"toolkits?",
            r"playbooks?",
            r"briefings?",
            r"frameworks?(?!\s+(?:agreements?|contracts?))",
        ),
    ),
    (
        "system",
        _words(
            r"launch\w*",
            r"portals?",
            r"apps?",
            r"systems?",
            r"tools?",
            r"platforms?",
            r"websites?",
            r"web ?sites?",
            r"features?",
            r"releases?",
            r"released",
            r"deploy\w*",
            r"migrat\w*",
            r"implement\w*",
            r"crm",
            r"erp",
            r"automat\w*",
            r"rolled out",
            r"roll(?:ing)? out",
            r"servers?",
            r"software",
            r"chatbots?",
            r"mfa",
            r"upgrade[ds]?",
            r"integrations?",
        ),
    ),
    (
        "reach",
        _words(
            r"served",
            r"reached",
            r"participants",
            r"attend\w*",
            r"visits?",
            r"visitors",
            r"parcels",
            r"households",
            r"families",
            r"clients",
            r"beneficiaries",
            r"distributed",
            r"handed out",
        ),
    ),
]


def family(text: str) -> str:
    """The kind of work a statement describes (training, tickets, system …), or 'generic'."""
    for name, pattern in FAMILIES:
        if pattern.search(text):
            return name
    return "generic"


DEFAULT_WHO = {
    "tickets": "the people who raised them",
    "training": "the people you trained",
    "event": "the people who took part",
    "reach": "the people you reached",
    "campaign": "your audience",
    "hiring": "the teams they join",
    "system": "the people who use it",
    "publication": "the people who read it",
    "compliance": "the people it protects",
}


def default_who(fam: str) -> str:
    return DEFAULT_WHO.get(fam, "the people it's for")
