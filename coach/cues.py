"""Linguistic cues that separate outputs from outcomes, used as features and to explain a verdict.

Each cue has a name, a direction (which label it points to) and the phrase it matched, so a rationale can
quote the person's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from coach.domain import Label

_PROD_BASE = (
    "launch|deliver|build|implement|hold|run|publish|create|develop|write|conduct|host|train|send|hire|deploy|"
    "roll out|complete|produce|design|draft|organi[sz]e|distribute|process|close|install|migrate|set up|"
    "introduce|provide|offer|establish|update|redesign|review|audit|prepare|submit|finali[sz]e|document|"
    "configure|upgrade|replace|procure|purchase|buy|recruit|onboard|map|plan|schedule|facilitate|post|"
    "film|record|translate|print|mail|email|call|visit|inspect|test|pilot|refresh|rebuild|automate|"
    "digiti[sz]e|catalogue|catalog|register|enrol|enroll|collect|gather|survey|analy[sz]e|report|present|"
    "release|ship|code|refactor|integrate|standardi[sz]e|consolidate|define|agree|sign|approve|adopt|"
    "launch|exhibit|stage|plant|fit|equip|renovate|repair|construct|commission|deliver|issue|answer|"
    "respond|handle|resolve|fix|triage|log|track|monitor|distribute|allocate|fund|award|grant|raise"
)
_PROD_PAST = (
    "launched|delivered|built|implemented|held|ran|published|created|developed|wrote|written|conducted|hosted|"
    "trained|sent|hired|deployed|rolled out|completed|produced|designed|drafted|organi[sz]ed|distributed|"
    "processed|closed|installed|migrated|set up|introduced|provided|offered|established|updated|redesigned|"
    "reviewed|audited|prepared|submitted|finali[sz]ed|documented|configured|upgraded|replaced|procured|"
    "purchased|bought|recruited|onboarded|mapped|planned|scheduled|facilitated|posted|recorded|translated|"
    "printed|mailed|emailed|called|visited|inspected|tested|piloted|refreshed|rebuilt|automated|digiti[sz]ed|"
    "registered|enrolled|collected|surveyed|analy[sz]ed|reported|presented|released|shipped|integrated|"
    "signed|approved|adopted|staged|planted|fitted|equipped|renovated|repaired|constructed|commissioned|"
    "issued|answered|handled|resolved|fixed|triaged|logged|allocated|funded|awarded|made|gave|taught|led"
)
_DELIVERABLE = (
    "portal|report|reports|policy|policies|training|trainings|workshop|workshops|campaign|campaigns|newsletter|"
    "newsletters|plan|strategy|dashboard|dashboards|website|site|app|feature|features|release|releases|system|"
    "tool|tools|process|procedure|procedures|guideline|guidelines|curriculum|course|courses|module|modules|"
    "document|documents|framework|template|templates|handbook|session|sessions|event|events|webinar|webinars|"
    "blog|post|posts|article|articles|video|videos|leaflet|leaflets|brochure|brochures|toolkit|checklist|"
    "playbook|runbook|runbooks|kb|knowledge base|ticket|tickets|record|records|meeting|meetings|visit|visits|"
    "class|classes|lesson|lessons|clinic|clinics|assessment|assessments|audit|audits|inspection|inspections|"
    "form|forms|survey|surveys|roadmap|backlog|sprint|sprints|story points|release notes|campaign|pilot|"
    "programme|program|initiative|project|projects|migration|upgrade|servers|licen[cs]es|crm|erp|intranet|"
    "chatbot|api|integration|integrations|interviews|calls|emails|letters|press releases|posts|parcels|kits|"
    "trees|bins|hours of training|hours of|modules|e-learning|certificates|presentations|demos|prototypes"
)
_BENEFICIARY = (
    "customers?|clients?|users?|patients?|participants?|residents?|students?|pupils?|learners?|employees?|"
    "staff|citizens?|families|family|people|managers?|members?|donors?|visitors?|farmers?|children|young people|"
    "parents?|teams?|engineers?|developers?|nurses?|teachers?|buyers?|shoppers?|guests?|passengers?|tenants?|"
    "households?|communities|community|survivors?|veterans?|graduates?|applicants?|businesses|suppliers?|"
    "colleagues|agents?|analysts?|volunteers?|owners?|subscribers?|readers?|viewers?|travell?ers?|drivers?|"
    "workers?|candidates?|new hires|hires|women|men|girls|boys|adults|older people|carers?|caregivers?|"
    "the business|partners?|stakeholders?|policy ?makers|decision ?makers|audiences?|fans|players|athletes"
)
_STATE_VERBS = (
    "can|could|are able|is able|were able|feel|feels|felt|trust|trusts|report|reports|know|knows|understand|"
    "understands|use|uses|used|adopt|adopts|return|returns|stay|stays|remain|remains|get|gets|find|finds|"
    "choose|chooses|recommend|recommends|renew|renews|buy|buys|complete their|keep|keeps|maintain|maintains|"
    "have|has|gain|gains|gained|improve their|demonstrate|demonstrates|apply|applies|move into|secure|secures|"
    "live|lives|resolve their|solve|solves|finish|finishes|spend less|spend more|wait less|rely on|are|is|"
    "no longer|self-serve|stop|stops|start|starts|give|gives|make fewer|are more|are less|enjoy|prefer|switch"
)
_OUTCOME_NOUNS = (
    "churn|retention|attrition|turnover|satisfaction|csat|nps|net promoter|revenue|profit|margin|cost|costs|"
    "spend|savings|wait|waiting|waits|time to|downtime|outages?|incidents?|errors?|defects?|complaints?|"
    "readmissions?|admissions?|emissions|co2|carbon|pollution|waste|injur(?:y|ies)|accidents?|absence|"
    "absenteeism|engagement|loyalty|trust|wellbeing|well-being|health|mortality|obesity|literacy|attainment|"
    "employment|homelessness|reoffending|recidivism|poverty|debt|conversion|win rate|market share|adoption|"
    "air quality|water quality|noise|congestion|biodiversity|habitat|species|canopy|flooding|crime|safety|"
    "footfall|traffic|sales|bookings|occupancy|yield|yields|attendance rates?|absence rates?|wellbeing scores?|"
    "active users|usage|repeat|recurrence|failures?|breaches|fraud|losses|risk|productivity|throughput time|"
    "lead time|cycle time|time-to-value|quality of life|independence|confidence|skills|knowledge|behaviou?r|"
    "outcomes?|results?|effort|escalations|recontacts?|re-contacts?|renewals?|lifetime value|cash|dso|arrears"
)

_C = re.IGNORECASE


@dataclass(frozen=True)
class Cue:
    name: str
    points_to: Label
    pattern: re.Pattern[str]
    explanation: str  # completes "…: '<phrase>'"


CUES: tuple[Cue, ...] = (
    Cue(
        "imperative_production",
        "output",
        re.compile(rf"^\s*(?:to\s+)?(?:{_PROD_BASE})\b[^.;]*", _C),
        "names something to produce or do — an activity or deliverable",
    ),
    Cue(
        "reported_production",
        "output",
        re.compile(
            rf"\b(?:we|i|the team|our team|they|has|have|had|was|were|been)\s+(?:\w+\s+)?(?:{_PROD_PAST})\b[^.;]*", _C
        ),
        "reports work the team did",
    ),
    Cue(
        "count_of_activity",
        "output",
        re.compile(
            rf"(?:^|\b)(?:#|no\.|number|count|total|quantity|volume|amount)\s*(?:of\s+)?(?:new\s+)?(?:\w+\s+){{0,2}}(?:{_DELIVERABLE}|{_PROD_PAST})\b[^.;]*",
            _C,
        ),
        "counts the team's own activity or deliverables",
    ),
    Cue(
        "more_of_our_output",
        "output",
        re.compile(
            rf"\b(?:increase|grow|boost|raise|double|expand|more)\b[^.;]{{0,30}}\b(?:number|count|volume|amount|frequency)\s+of\s+(?:\w+\s+){{0,2}}(?:{_DELIVERABLE})\b[^.;]*",
            _C,
        ),
        "asks for more of what the team produces",
    ),
    Cue(
        "change_by_activity",
        "output",
        re.compile(
            rf"\b(?:improve|increase|boost|strengthen|enhance|raise|grow|build|drive|promote|support|foster|encourage|deepen)\w*\b[^.;]{{0,60}}\bby\s+(?:{_PROD_BASE})ing\b[^.;]*"
            rf"|\b(?:improve|increase|boost|strengthen|enhance|raise|grow|drive|promote|foster|encourage)\w*\b[^.;]{{0,60}}\bby\s+(?:holding|running|sending|posting|installing|adding|mailing|hosting|publishing|launching|offering|creating|giving|producing|delivering|setting up|rolling out|introducing|distributing)\b[^.;]*",
            _C,
        ),
        "promises a change but commits only to an activity ('… by doing X')",
    ),
    Cue(
        "reach_or_attendance",
        "output",
        re.compile(
            r"\b(?:attend(?:ed|ance|ees)?|participat(?:ed|ion)|enrol(?:l)?(?:ed|ment)s?|registered|reached|served|signed up|completion rate|completed (?:the|a|their)\s+\w+|took part|turnout|sessions? delivered|people trained|staff trained|were trained)\b[^.;]*",
            _C,
        ),
        "counts reach or participation in the team's own activities",
    ),
    Cue(
        "reaction_to_event",
        "output",
        re.compile(
            r"\b(?:rated|rating|feedback (?:score|form)s?|enjoyed|found the (?:session|workshop|course|training|event))\b[^.;]*\b(?:session|workshop|course|training|event|webinar|class)\b|\b(?:session|workshop|course|training|event|webinar)s?\b[^.;]*\b(?:rated|rating|satisfaction score)\b",
            _C,
        ),
        "records people's reaction to an activity, not a change in what they do",
    ),
    Cue(
        "compliance_milestone",
        "output",
        re.compile(
            r"\b(?:certif(?:ied|ication)|accredit(?:ed|ation)|complian(?:t|ce)|audit(?:s|ed)?|regulat(?:or|ory)|statutory|gdpr|sox|iso ?\d+|deadline|contract(?:ed|ual)?|submission|submit(?:ted)?|filing|filed)\b[^.;]*",
            _C,
        ),
        "is a compliance or contractual milestone",
    ),
    Cue(
        "service_level_commitment",
        "output",
        re.compile(
            r"\b(?:respond|reply|acknowledge|answer|pick up|call back|turn around|process|handle)\w*\s+(?:to\s+)?(?:all|every|each|\d+%\s+of)?\s*[^.;]{0,40}\bwithin\b[^.;]*",
            _C,
        ),
        "commits to how fast the team handles its own work",
    ),
    Cue(
        "beneficiary_change",
        "outcome",
        re.compile(rf"\b(?:{_BENEFICIARY})\b(?:\s+\w+){{0,3}}?\s+(?:{_STATE_VERBS})\b[^.;]*", _C),
        "describes a change for the people served",
    ),
    Cue(
        "people_who",
        "outcome",
        re.compile(
            rf"(?:%|percent|proportion|share|number and percent|rate)\s+of\s+(?:\w+\s+){{0,2}}(?:{_BENEFICIARY})\s+(?:who|that|whose|with|reporting|able)\b[^.;]*",
            _C,
        ),
        "measures how many of the people served changed",
    ),
    Cue(
        "result_moves",
        "outcome",
        re.compile(
            rf"\b(?:reduc\w*|decreas\w*|lower\w*|cut\w*|fewer|less|drop\w*|fall\w*|fell|declin\w*|increas\w*|rais\w*|grow\w*|grew|improv\w*|ris\w*|rose|boost\w*|higher|better|shorter|faster)\b[^.;]{{0,40}}\b(?:{_OUTCOME_NOUNS})\b[^.;]*"
            rf"|\b(?:{_OUTCOME_NOUNS})\b[^.;]{{0,30}}\b(?:reduc\w*|decreas\w*|fell|fall\w*|drop\w*|declin\w*|ris\w*|rose|increas\w*|improv\w*|grew|halv\w*|doubl\w*)\b[^.;]*",
            _C,
        ),
        "names a business or mission result moving",
    ),
    Cue(
        "subject_changes",
        "outcome",
        re.compile(
            r"^(?!(?:we|i|they|you|our team|the team|my team)\b)(?!.*\b(?:number|#|count|no\.|total|volume|amount)\b)(?:the\s+|our\s+)?[a-z][\w'’-]*(?:\s+[\w'’-]+){0,6}\s+"
            r"(?:improves?|improved|improving|falls?|fell|rises?|rose|drops?|dropped|declines?|declined|"
            r"increases?|increased|decreases?|decreased|grows?|grew|halves|halved|doubles|doubled|recovers?|recovered)\b[^.;]*",
            _C,
        ),
        "says that something in the world moves, not what the team does",
    ),
    Cue(
        "state_or_attitude",
        "outcome",
        re.compile(
            r"\b(?:trust|confident|confidence|safe|safer|healthy|healthier|independent|independently|well-?being|thriv\w*|loyal|engaged|empowered|without (?:help|assistance|workarounds|calling|waiting|delay)|on their own|self-sufficient|employed|housed|sober|smoke-free|literate|ready for|able to)\b[^.;]*",
            _C,
        ),
        "describes a state people are in, not work the team does",
    ),
)

CUE_NAMES = [c.name for c in CUES]


@dataclass(frozen=True)
class CueHit:
    name: str
    points_to: Label
    phrase: str
    explanation: str


def find_cues(text: str) -> list[CueHit]:
    hits: list[CueHit] = []
    for cue in CUES:
        m = cue.pattern.search(text)
        if m:
            phrase = " ".join(m.group(0).split())
            if len(phrase) > 70:
                phrase = phrase[:67].rsplit(" ", 1)[0] + "…"
            hits.append(CueHit(cue.name, cue.points_to, phrase, cue.explanation))
    return hits


def cue_vector(text: str, hits: list[CueHit] | None = None) -> np.ndarray:
    """Binary cue features plus a few shape features, in a fixed order (pass `hits` to reuse find_cues)."""
    names = {h.name for h in (find_cues(text) if hits is None else hits)}
    words = text.split()
    shape = [
        1.0 if re.search(r"\d", text) else 0.0,
        1.0 if "%" in text or re.search(r"\bpercent", text, _C) else 0.0,
        min(len(words), 40) / 40.0,
        1.0 if re.search(r"\bby (?:q[1-4]|\d{4}|the end|end of|january|june|december|next)", text, _C) else 0.0,
    ]
    return np.array([1.0 if n in names else 0.0 for n in CUE_NAMES] + shape, dtype=np.float32)


COMMITMENT = re.compile(
    r"\b(?:certif(?:ied|ication)|accredit(?:ed|ation)|complian(?:t|ce)|audit|regulat(?:or|ory|ion)|statutory|"
    r"gdpr|sox|hipaa|iso ?\d+|legal(?:ly)? require\w*|mandatory|contract(?:ed|ual)?|deadline|by law|"
    r"obligat\w*|licen[cs]e renewal|filing|tax return|inspection)\b",
    _C,
)


def commitment_kind(text: str) -> str | None:
    m = COMMITMENT.search(text)
    if not m:
        return None
    word = m.group(0).lower()
    if word.startswith("contract"):
        return "contracted deliverable"
    if word in ("deadline",):
        return "committed deadline"
    return "compliance milestone"
