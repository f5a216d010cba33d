"""Surface cues of a reply: the signals a coach hears before the meaning (a bare "no", a number, a mandate word,
a question, keyboard mash). They feed the reply-act model as features and decide the few unambiguous cases."""

from __future__ import annotations

import math
import re
from functools import cache, lru_cache

import numpy as np
from wordfreq import get_frequency_dict, zipf_frequency

_WORDS = re.compile(r"[a-zA-Z][a-zA-Z']*")
_TOKENS = re.compile(r"\S+")

YES = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|yea|ya|aye|sure|correct|right|exactly|absolutely|definitely|indeed|ok(?:ay)?|k|"
    r"sounds (?:good|right)|that'?s right|go (?:on|ahead)|please do|yes please|do it|record it|👍)\b",
    re.I,
)
NO = re.compile(r"^\W*(?:no|nope|nah|not really|not quite|no thanks|negative|don'?t think so|👎)\b", re.I)
THANKS_BYE = re.compile(
    r"\b(?:thanks?|thank you|thx|ty|cheers|bye|goodbye|see (?:you|ya)|later|have a good|ciao|take care|"
    r"hi|hello|hey|hiya|good (?:morning|afternoon|evening)|how are you|lol|haha|nice|cool|great|awesome)\b",
    re.I,
)
FAREWELL = re.compile(
    r"\b(?:bye|goodbye|see (?:you|ya)|later|ciao|take care|that'?s all|done for (?:now|today))\b", re.I
)
GREETING = re.compile(r"^\W*(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|morning)\b", re.I)
MANDATE = re.compile(
    r"\b(?:regulat\w*|mandat\w*|required|requires?|requirement|compulsory|statutory|law|legal(?:ly)?|legislation|"
    r"contract\w*|obligat\w*|compliance|audit\w*|policy|funder\w*|boss|manager asked|head office|board|ceo|"
    r"director|leadership|they asked|asked (?:us|me) to|told (?:us|me) to|have to|has to|must|okrs?|"
    r"always (?:do|done)|part of (?:the|my|our) job|inspector\w*|ofsted|cqc|gdpr|iso)\b",
    re.I,
)
UNSURE = re.compile(
    r"\b(?:don'?t know|dunno|do not know|no idea|not sure|unsure|no clue|idk|hard to say|can'?t say|"
    r"not certain|beats me|no data|don'?t track|do not track|not tracked|nobody knows|haven'?t got|"
    r"don'?t have (?:that|the|a|any)|no baseline|unknown|no numbers?|haven'?t measured|never measured)\b",
    re.I,
)
NEW_ITEM = re.compile(
    r"^\W*(?:also|another|and also|oh and|oh,? and|separately|besides|other than that|in addition|plus|btw|"
    r"by the way|as well as that|on another note|different topic|new one|next one is)\b|\b(?:we|i) also\b|"
    r"\bas well\b|\banother (?:thing|project|piece)\b",
    re.I,
)
SO_THAT = re.compile(r"^\W*(?:so that|so|that way|which means|meaning|then|in order to|to)\b", re.I)
OBJECTION = re.compile(
    r"\b(?:not what|misunderst\w*|wrong|that'?s not|it'?s not|isn'?t (?:about|what)|not about|not the point|"
    r"you'?ve got it|you got it wrong|not (?:our|my) job|doesn'?t apply|irrelevant|it'?s about|this is about|"
    r"actually (?:it'?s|that'?s|an?)|already an outcome|is an outcome|is an output|it'?s an? (?:output|outcome))\b",
    re.I,
)
LABEL_CORRECTION = re.compile(
    r"^\W*(?:no|nope|wrong|actually|hmm)?[\s,.!]*(?:that|it|this)(?:'s|\s+is|\s+was)\s+(?:already\s+|actually\s+|really\s+|just\s+)?"
    r"an?\s+(output|outcome)\b|^\W*(?:no|nope|wrong)[\s,.!]+(?:it'?s\s+)?an?\s+(output|outcome)\W*$",
    re.I,
)
ASKS_EXAMPLE = re.compile(
    r"^\W*(?:(?:can|could|would) you\s+)?(?:please\s+)?(?:give|show|tell)\s+(?:me|us)\s+(?:an?\s+)?examples?\b|"
    r"^\W*(?:an?\s+)?examples?\s*(?:please)?\W*$|^\W*(?:for example|like what|such as)\W*$",
    re.I,
)
NUMBER_WORDS = re.compile(
    r"\b(?:today|currently|now|at the moment|baseline|target|aim|goal|want|hope|reach|get (?:it )?to|from|by|"
    r"per|a month|a week|a year|a day|percent|average|roughly|about|around)\b|%",
    re.I,
)
META = re.compile(
    r"\b(?:what do you mean|what does that mean|meaning\?|why (?:does|do|is|are|should|would)|why\?|"
    r"example|what are you asking|what counts|not sure what you|rephrase|say that again|what kind of answer|"
    r"like what|such as\?|why it'?s an?|why is (?:this|that|it))\b",
    re.I,
)
KNOWLEDGE = re.compile(
    r"\b(?:difference between|what(?:'s| is| are) (?:a|an|the)\b|what are|define|definition|how do (?:i|we|you)|"
    r"how should|how can|kirkpatrick|logic model|theory of change|okr|kpi|leading|lagging|goodhart|smart|"
    r"baseline|impact mapping|balancing measure|outcomes? over outputs?)\b",
    re.I,
)
COMMANDS: dict[str, re.Pattern[str]] = {
    "restart": re.compile(
        r"^\W*(?:start (?:over|again|afresh)|restart|reset|begin again|new session|clear (?:it|all))\W*$", re.I
    ),
    "summary": re.compile(
        r"^\W*(?:(?:show|give|see|view)(?: me)?(?: the| my)? (?:summary|outcome map|map|overview|progress)|summary|"
        r"summari[sz]e|(?:the )?outcome map|where are we|what do we have(?: so far)?|recap|map please)\W*$",
        re.I,
    ),
    "skip": re.compile(
        r"^\W*(?:skip(?: (?:it|this|that|this one|that one))?|next(?: one)?|move on|let'?s move on|pass|"
        r"park (?:it|this|that)|let'?s park (?:it|this|that)|leave it|drop (?:it|this)|skip this question)\W*$",
        re.I,
    ),
    "measures": re.compile(
        r"^\W*(?:(?:just )?(?:propose|suggest|show|give)(?: me)?(?: some)? measures|measures(?: please)?|"
        r"how (?:do|can|would|should) (?:we|i) measure (?:it|this|that))\W*$",
        re.I,
    ),
    "accept": re.compile(
        r"^\W*(?:that'?s (?:the|it|my|our) (?:result|outcome)|that is the (?:result|outcome)|that'?s it|"
        r"that'?s the one|let'?s go with (?:that|it)|go with (?:that|it)|take (?:that|it) as the (?:result|outcome)|"
        r"that'?s as far as (?:we|i) (?:can|go)|stop there|good enough|that'?s (?:our|the) outcome)\W*$",
        re.I,
    ),
    "help": re.compile(r"^\W*(?:help|\?|what can (?:i|you) (?:do|say)|how does this work|commands|options)\W*$", re.I),
}
NUMBER = re.compile(r"\d|\b(?:half|third|quarter|zero|one|two|three|four|five|ten|twenty|hundred|percent)\b", re.I)
PERCENT = re.compile(r"%|\bpercent\b|\bpp\b", re.I)
DATE = re.compile(
    r"\b(?:by|before|until|within|in) (?:q[1-4]|\d{4}|next|the end|end of|january|february|march|april|may|june|"
    r"july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|\d+ (?:days?|"
    r"weeks?|months?|years?))\b",
    re.I,
)
QUESTION_START = re.compile(
    r"^\W*(?:what|why|how|when|which|who|where|is|are|can|could|should|do|does|did|would|will|explain|tell me)\b", re.I
)
WE_DID = re.compile(
    r"\b(?:we|i|our team|the team)(?:'ve| have| had)? \w+(?:ed|ran|built|made|sent|held|wrote|set up)\b", re.I
)
KEYBOARD = re.compile(r"(?:asdf|sdfg|dfgh|fghj|ghjk|hjkl|qwer|wert|erty|rtyu|tyui|yuio|uiop|zxcv|xcvb|cvbn|vbnm)", re.I)
EMOJI_ONLY = re.compile(r"^[\W\d_]+$")


@cache
def _english_words() -> dict[str, float]:
    """wordfreq's English list as a plain dict (loaded once, ~0.1 s; `warm_cues` does it at start-up)."""
    return dict(get_frequency_dict("en", wordlist="best"))


def warm_cues() -> None:
    _english_words()


@lru_cache(maxsize=32768)
def english_frequency(word: str) -> float:
    """Zipf frequency of a word in English (0 = never seen, 7 = 'the'); from the wordfreq package, offline.

    A plain letters-only word is looked up directly (the same figure as `zipf_frequency`, 60× cheaper for a word
    not seen before, which matters because every reply brings new words); anything else goes through wordfreq's
    own tokenizer."""
    w = word.lower()
    if not w.isascii() or not w.isalpha():
        return float(zipf_frequency(w, "en"))
    f = _english_words().get(w, 0.0)
    return round(math.log10(f) + 9.0, 2) if f > 0 else 0.0


def english_share(text: str) -> float:
    """Share of the words that are ordinary English words (typos and jargon mostly still pass)."""
    words = _WORDS.findall(text)
    if not words:
        return 0.0
    return sum(1 for w in words if english_frequency(w) >= 2.0) / len(words)


def looks_like_gibberish(text: str) -> bool:
    """Keyboard mash, random letters or symbols only — not a typo-ridden sentence."""
    t = text.strip()
    if not t:
        return True
    if EMOJI_ONLY.match(t) and not re.search(r"\d", t):
        return True
    words = _WORDS.findall(t)
    if not words:
        return not re.search(r"\d", t) or len(t) < 3
    if KEYBOARD.search(t) and english_share(t) < 0.7:
        return True
    if re.search(r"(\w)\1{3,}", t) and english_share(t) < 0.5:
        return True
    return len(words) <= 4 and english_share(t) == 0.0


def command_of(text: str) -> str | None:
    """The session command a message is, when it is only that (a bare 'skip', 'summary', 'start over')."""
    for name, pattern in COMMANDS.items():
        if pattern.match(text.strip()):
            return name
    return None


def cue_vector(text: str) -> np.ndarray:
    """Cue features (0/1 and small scaled counts) for the reply-act model."""
    t = text.strip()
    n = len(_TOKENS.findall(t))
    share = english_share(t)
    feats = [
        n <= 1,
        2 <= n <= 3,
        4 <= n <= 8,
        n >= 9,
        bool(NUMBER.search(t)),
        bool(PERCENT.search(t)),
        len(re.findall(r"\d+(?:[.,]\d+)?", t)) >= 2,
        bool(DATE.search(t)),
        t.endswith("?"),
        bool(QUESTION_START.match(t)),
        bool(YES.match(t)),
        bool(YES.match(t)) and n <= 3,
        bool(NO.match(t)),
        bool(NO.match(t)) and n <= 3,
        bool(MANDATE.search(t)),
        bool(UNSURE.search(t)),
        bool(THANKS_BYE.search(t)),
        bool(THANKS_BYE.search(t)) and n <= 5,
        command_of(t) is not None,
        bool(NEW_ITEM.search(t)),
        bool(SO_THAT.match(t)),
        bool(WE_DID.search(t)),
        bool(OBJECTION.search(t)),
        bool(META.search(t)),
        bool(KNOWLEDGE.search(t)),
        looks_like_gibberish(t),
        share,
        share < 0.5,
        bool(KEYBOARD.search(t)),
        t.count(",") + t.count(";") >= 2,
    ]
    return np.asarray(feats, dtype=np.float32)


CUE_NAMES = [
    "one_token",
    "two_three_tokens",
    "four_eight_tokens",
    "long",
    "has_number",
    "has_percent",
    "two_numbers",
    "has_date",
    "question_mark",
    "question_start",
    "yes",
    "bare_yes",
    "no",
    "bare_no",
    "mandate",
    "unsure",
    "social",
    "bare_social",
    "command",
    "new_item",
    "so_that",
    "we_did",
    "objection",
    "meta",
    "knowledge",
    "gibberish",
    "english_share",
    "mostly_unknown",
    "keyboard",
    "list",
]
