"""Word lists behind the cues in `coach/cues.py`: regex alternations, English only.

Kept apart from the patterns so each list can be read (and extended) on its own.
"""

from __future__ import annotations

import re

# Production verbs, base form ("Launch …", "to roll out …").
PROD_BASE = (
    "launch|deliver|build|implement|hold|run|publish|create|develop|write|conduct|host|train|send|hire|deploy|"
    "roll out|complete|produce|design|draft|organi[sz]e|distribute|process|close|install|migrate|set up|"
    "introduce|provide|offer|establish|update|redesign|review|audit|prepare|submit|finali[sz]e|document|"
    "configure|upgrade|replace|procure|purchase|buy|recruit|onboard|map|plan|schedule|facilitate|post|"
    "film|record|translate|print|mail|email|call|visit|inspect|test|pilot|refresh|rebuild|automate|"
    "digiti[sz]e|catalogue|catalog|register|enrol|enroll|collect|gather|survey|analy[sz]e|report|present|"
    "release|ship|code|refactor|integrate|standardi[sz]e|consolidate|define|agree|sign|approve|adopt|"
    "exhibit|stage|plant|fit|equip|renovate|repair|construct|commission|issue|answer|enable|enforce|air|"
    "respond|handle|resolve|fix|triage|log|track|monitor|allocate|fund|award|grant|interview|enhance|rewrite"
)
# Production verbs, past tense / participle ("We trained …", "housing units weatherized").
PROD_PAST = (
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
# Participles that describe things the programme did to objects ("loans guaranteed", "roads resurfaced").
DONE_TO_THINGS = (
    PROD_PAST + "|weatheri[sz]ed|guaranteed|replanted|resurfaced|retrofitted|insulated|modernised|modernized|"
    "rehabilitated|restored|cleared|removed|paved|laid|dug|drilled|sown|opened|financed|disbursed|paid|"
    "given out|handed out|delivered to|supplied|shown|aired|broadcast|placed|sent out|run|done|carried out|"
    "performed|made available|upgraded|refurbished|demolished|cleaned|serviced|maintained|patched|"
    "signed off|agreed|prepared|reconciled|tagged|raised"
)
DELIVERABLE = (
    "portal|report|reports|policy|policies|training|trainings|workshop|workshops|campaign|campaigns|newsletter|"
    "newsletters|plan|strategy|dashboard|dashboards|website|site|app|feature|features|release|releases|system|"
    "tool|tools|process|procedure|procedures|guideline|guidelines|curriculum|course|courses|module|modules|"
    "document|documents|framework|template|templates|handbook|session|sessions|event|events|webinar|webinars|"
    "blog|post|posts|article|articles|video|videos|leaflet|leaflets|brochure|brochures|toolkit|checklist|"
    "playbook|runbook|runbooks|kb|knowledge base|ticket|tickets|record|records|meeting|meetings|visit|visits|"
    "class|classes|lesson|lessons|clinic|clinics|assessment|assessments|audit|audits|inspection|inspections|"
    "form|forms|survey|surveys|roadmap|backlog|sprint|sprints|story points|release notes|pilot|"
    "programme|program|initiative|project|projects|migration|upgrade|servers|licen[cs]es|crm|erp|intranet|"
    "chatbot|api|integration|integrations|interviews|calls|emails|letters|press releases|parcels|kits|"
    "trees|bins|hours of training|hours of|e-learning|certificates|presentations|demos|prototypes|referrals|"
    "grants|loans|vouchers|spots|ads|adverts|screenings|counselling|counseling|consultations|contacts"
)
# People and organisations a programme serves (plural or collective forms).
BENEFICIARY = (
    "customers?|clients?|users?|patients?|participants?|residents?|students?|pupils?|learners?|employees?|"
    "staff|citizens?|families|family|people|managers?|members?|donors?|visitors?|farmers?|children|young people|"
    "parents?|teams?|engineers?|developers?|nurses?|teachers?|buyers?|shoppers?|guests?|passengers?|tenants?|"
    "households?|communities|community|survivors?|veterans?|graduates?|applicants?|businesses|suppliers?|"
    "colleagues|agents?|analysts?|volunteers?|owners?|subscribers?|readers?|viewers?|travell?ers?|drivers?|"
    "workers?|candidates?|new hires|hires|women|men|girls|boys|adults|older people|carers?|caregivers?|"
    "the business|partners?|stakeholders?|policy ?makers|decision ?makers|audiences?|fans|players|athletes|"
    "youth|youths|seniors|elders|mothers|fathers|infants|babies|newborns|smallholders|jobseekers|job seekers|"
    "refugees|migrants|offenders|prisoners|homeowners|renters|borrowers|savers|entrepreneurs|grantees|"
    "mentees|trainees|apprentices|clinicians|doctors|midwives|physicians|officers|officials|principals|admins|"
    "administrators|reps|accounts|firms|companies|organi[sz]ations|schools|offices|authorities|councils|"
    "agencies|ministries|governments|countries|municipalities|districts|editors|journalists|practitioners|"
    "providers|employers|individuals|persons|clients|claimants|recipients|beneficiaries|victims|consumers|"
    "voters|supporters|mps|leaders|heads|coaches|caseworkers|social workers|health workers|researchers"
)
# What people served do, present tense: practice, behaviour, states.
STATE_VERBS = (
    "can|could|are able|is able|were able|feel|feels|felt|trust|trusts|report|reports|know|knows|understand|"
    "understands|use|uses|used|adopt|adopts|return|returns|stay|stays|remain|remains|get|gets|find|finds|"
    "choose|chooses|recommend|recommends|renew|renews|buy|buys|complete their|keep|keeps|maintain|maintains|"
    "have|has|gain|gains|gained|improve their|demonstrate|demonstrates|apply|applies|move into|secure|secures|"
    "live|lives|resolve their|solve|solves|finish|finishes|spend less|spend more|wait less|rely on|are|is|"
    "no longer|self-serve|stop|stops|start|starts|give|gives|make fewer|are more|are less|enjoy|prefer|switch"
)
PRACTICE_VERBS = (
    "use|apply|enter|record|follow|adopt|screen|hold|ask|create|invite|approve|book|merge|plan|choose|pay|"
    "renew|expand|upgrade|switch|join|cite|reference|fund|budget|enforce|draw on|write to|recommend|regroup|"
    "resolve|spin up|release|log|track|check|refer|treat|prescribe|include|integrate|allocate|take|keep|"
    "visit|read|speak|explain|list|practi[sc]e|teach|share|manage|lead|sell|save|spend|invest|eat|exercise|"
    "walk|cycle|recycle|vote|volunteer|donate|raise|report|request|submit|reach|return|stay|"
    "remain|buy|order|search|find|get|make|build|run|serve|handle|reuse|repair|plant|grow|wash|vaccinate|"
    "breastfeed|attend their|sleep|drink|smoke less|save|repay|borrow|apply for|opt in|sign in|log in|"
    "collaborate|consult|engage|respond|replace|document|monitor|review|negotiate|comply|act on|draw"
)
# Changes of status and behaviour, past tense ("obtained employment", "gained new skills").
CHANGE_PAST = (
    "obtained|secured|gained|found|passed|improved|increased|raised|reduced|lowered|quit|stopped|moved|"
    "entered|got|achieved|maintained|kept|stayed|remained|switched|started|returned|graduated|"
    "were promoted|were hired|left|avoided|recovered|regained|earned|saved|renewed|upgraded|adopted|"
    "changed|demonstrated|showed|scored|retained|expanded|progressed|advanced|transitioned|became|attained|"
    "mastered|learned|learnt|reported|used|applied|began|began to|now|no longer|went on|exited|escaped|"
    "reached|completed their|made|bought|chose|recommended|felt|could|were able|are able|can|"
    "are now|were still|are still|remain|stay|live|achieve|obtain|secure|gain|find|pass|improve|increase|"
    "reduce|quit|stop|move|enter|get|keep|switch|start|return|graduate|leave|avoid|recover|earn|save|"
    "renew|upgrade|adopt|change|demonstrate|show|score|retain|expand|progress|advance|become|attain|master|"
    "learn|report|use|apply|feel|know|understand|say|rate their|choose|recommend|buy|spend|pay|repay"
)
# Receiving a service, taking part in it, being reached by it.
RECEIVE = (
    "receiving|received|served|attending|attended|enrolled|enrolling|given|provided with|taking part|"
    "took part|participating|participated|screened|trained|reached|referred|contacted|assisted|supported|"
    "counselled|counseled|visited|exposed to|registered|signed up|starting|starting in|start in|started in|"
    "benefiting from|benefitting from|accessing|accessed|offered|getting|helped|advised|treated|tested|"
    "examined|vaccinated|immuni[sz]ed|covered by|in receipt of|who received|who attended|taught|coached|"
    "mentored|housed in|placed on|enrolled in|completing the|who completed the|completed the|completing a"
)
OUTCOME_NOUNS = (
    "churn|retention|attrition|turnover|satisfaction|csat|nps|net promoter|revenue|profit|margin|cost|costs|"
    "spend|savings|wait|waiting|waits|time to|downtime|outages?|incidents?|errors?|defects?|complaints?|"
    "readmissions?|admissions?|emissions|co2|carbon|pollution|waste|injur(?:y|ies)|accidents?|absence|"
    "absenteeism|engagement|loyalty|trust|wellbeing|well-being|health|mortality|obesity|literacy|attainment|"
    "employment|homelessness|reoffending|recidivism|poverty|debt|conversion|win rate|market share|adoption|"
    "air quality|water quality|noise|congestion|biodiversity|habitat|species|canopy|flooding|crime|safety|"
    "footfall|traffic|sales|bookings|occupancy|yield|yields|attendance rates?|absence rates?|wellbeing scores?|"
    "active users|usage|repeat|recurrence|failures?|breaches|fraud|losses|risk|productivity|throughput time|"
    "lead time|cycle time|time-to-value|quality of life|independence|confidence|skills|knowledge|behaviou?r|"
    "outcomes?|results?|effort|escalations|recontacts?|re-contacts?|renewals?|lifetime value|cash|dso|arrears|"
    "resilience|understanding|awareness|capacity|protection|coverage|uptake|access|income|earnings|jobs|"
    "attendance|achievement|grades|scores|survival|life expectancy|deaths|cases|infections|prevalence"
)
# Adjectives and participles that name a change reached ("improved school attendance", "cleaner air").
CHANGED_STATE = (
    "improved|enhanced|strengthened|increased|reduced|decreased|lowered|expanded|sustained|greater|better|"
    "stronger|higher|lower|fewer|less|more|healthier|cleaner|safer|wider|broader|deeper|faster|shorter|"
    "quicker|cheaper|resilient|more resilient|restored|protected|empowered|informed|reinvigorated|revitali[sz]ed"
)
# Product and customer-success language for what customers do.
CUSTOMER_BEHAVIOUR = (
    "adopted|activated|expanded seats|expanded|renewed|upgraded|retained|churned|came back|returned|"
    "reached time[- ]to[- ]value|time[- ]to[- ]value|feature adoption|adoption of|activation|stickiness|"
    "daily active|weekly active|monthly active|dau|mau|net revenue retention|nrr|gross retention|"
    "seat expansion|expansion revenue|repeat purchases?|repeat visits?|logged in|log in|signed in|"
    "self-served|self-serve|onboarded themselves|invited|upsold|cross-sold|converted|conversion"
)
# Purpose clauses: what follows says why, not what is committed ("… with the purpose of reducing obesity").
PURPOSE = (
    r"with the (?:purpose|aim|goal|intention|objective|hope) of|with a view to|in order to|so as to|aimed at|"
    r"designed to|intended to|meant to|in an effort to|so that|in the hope that|to help|"
    r"to (?:reduce|increase|improve|prevent|support|promote|encourage|boost|lower|cut|raise|strengthen|"
    r"enhance|tackle|address|avoid|ensure|protect|help|enable|foster|combat|fight|curb|lessen|minimi[sz]e|"
    r"maximi[sz]e|build|keep|stop|end|make)"
)
# Framing prefixes that say nothing about the label.
FRAMING = (
    r"^\s*(?:kr|okr|key result|objective|goal|target|indicator|kpi|metric|measure|aim|result|"
    r"intended result|milestone|priority)\s*\d*\s*[:\-–—]\s*"
)


# ----- word lists as tries: the same words, as a regex that fails fast (Python's re tries every branch of a
# flat alternation at every position; a trie tries one character at a time) ----------------------------------
def _parse(s: str, i: int = 0) -> tuple[list[str], int]:
    """Expand the small regex subset the lists use (literals, `x?`, `[ab]`, `(?:a|b)`) into plain strings."""
    alts: list[list[str]] = []
    seq: list[str] = [""]
    while i < len(s) and s[i] != ")":
        if s[i] == "|":
            alts.append(seq)
            seq, i = [""], i + 1
            continue
        if s[i] == "[":
            j = s.index("]", i)
            opts, i = list(s[i + 1 : j]), j + 1
        elif s.startswith("(?:", i):
            opts, i = _parse(s, i + 3)
            i += 1  # the closing parenthesis
        elif s[i] == "\\":
            opts, i = [s[i + 1]], i + 2
        else:
            opts, i = [s[i]], i + 1
        if i < len(s) and s[i] == "?":
            opts, i = [*opts, ""], i + 1
        seq = [a + b for a in seq for b in opts]
    alts.append(seq)
    return [w for a in alts for w in a], i


def words_of(alternation: str) -> list[str]:
    """Every plain word or phrase an alternation of this module matches."""
    return sorted(set(_parse(alternation)[0]) - {""})


def trie(alternation: str) -> str:
    """The alternation as a trie-shaped regex that matches exactly the same strings."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for w in words_of(alternation):
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        end = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?" if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return emit(root)
