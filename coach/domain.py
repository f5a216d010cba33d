"""Domain objects shared by every channel. Plain pydantic models: no I/O, no framework."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

Label = Literal["output", "outcome"]
# What classification can say: one of the two labels, or that the text is not a statement about work.
Verdict = Literal["output", "outcome", "none"]
ExampleLabel = Verdict
# "questions": the questions each guidance section answers, embedded as extra search keys for it (never shown)
Kind = Literal["guidance", "measures", "examples", "questions"]
KINDS: tuple[Kind, ...] = ("guidance", "measures", "examples", "questions")
Direction = Literal["increase", "decrease"]
MeasureKind = Literal["leading", "lagging"]


class Citation(BaseModel):
    """Where a passage comes from: a guidance document's section and the works it cites."""

    doc_id: str
    title: str
    section: str = ""
    sources: list[str] = Field(default_factory=list)

    def label(self) -> str:
        where = f"{self.title} — {self.section}" if self.section and self.section != self.title else self.title
        return where


class Passage(BaseModel):
    """One retrieved item: a guidance chunk, a measure or a labelled example."""

    id: str
    kind: Kind
    text: str
    score: float = Field(description="Cosine similarity to the query, 1 = identical.")
    citation: Citation | None = None
    metadata: dict[str, str | int | float | bool] = Field(default_factory=dict)


class Statement(BaseModel):
    """A statement cut from a message, with its exact character span in that message."""

    text: str
    start: int
    end: int


class Evidence(BaseModel):
    kind: Literal["example", "guidance"]
    text: str
    similarity: float
    label: Label | None = None
    domain: str | None = None
    citation: Citation | None = None


NoneKind = Literal["gibberish", "small_talk", "question", "command"]


class Classification(BaseModel):
    text: str
    start: int = 0
    end: int = 0
    label: Verdict = Field(
        description="output or outcome; `none` when the text is not a statement about work (see `none_kind`)."
    )
    confidence: float = Field(ge=0.0, le=1.0, description="Calibrated probability of `label`.")
    rationale: str
    none_kind: NoneKind | None = Field(
        default=None, description="Why the label is `none`: gibberish, small_talk, question or command."
    )
    language: str | None = Field(
        default=None,
        description="ISO 639-1 code when the statement is not in English: the label is then only a guess.",
    )
    cues: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    needs_clarification: bool = False
    commitment: str | None = Field(
        default=None, description="Set when an output is a legitimate commitment (compliance, contract)."
    )
    second_opinion: Label | None = None


WHO = "{who}"
SLOTTED: tuple[str, ...] = ("name", "definition", "calculation")


class Measure(BaseModel):
    """An outcome measure of the library (knowledge/measures/*.yaml).

    `name`, `definition` and `calculation` may carry the slot `{who}` where the population goes; `who` is the
    default population. `rendered()` fills the slot (with `who` unless another population is given)."""

    id: str
    name: str
    definition: str
    calculation: str
    unit: str
    direction: Direction
    kind: MeasureKind
    who: str
    data_sources: list[str]
    data_owner: str
    cadence: str
    outcome_themes: list[str]
    gaming_risk: str
    balancing_measure: str
    domain: str
    keywords: list[str] = Field(default_factory=list, description="Synonyms people use, for lexical matching.")

    @model_validator(mode="after")
    def _braces_only_as_the_who_slot(self) -> Measure:
        for name in Measure.model_fields:
            value = getattr(self, name)
            for text in value if isinstance(value, list) else [value]:
                rest = str(text).replace(WHO, "")
                if "{" in rest or "}" in rest:
                    raise ValueError(f"field '{name}' has braces other than the population slot {WHO} (got {text!r})")
                if WHO in str(text) and name not in SLOTTED:
                    raise ValueError(f"the slot {WHO} may only appear in name, definition or calculation (in '{name}')")
        if self.has_slot and not self.who.strip():
            raise ValueError(f"'who' must name the default population when the wording uses {WHO}")
        return self

    @property
    def has_slot(self) -> bool:
        return any(WHO in getattr(self, f) for f in SLOTTED)

    def rendered(self, who: str | None = None) -> Measure:
        """The measure as shown: the slot filled with `who` (default: the library's population)."""
        if not self.has_slot:
            return self
        people = (who or self.who).strip()
        data = self.model_dump()
        for f in SLOTTED:
            text = str(data[f]).replace(WHO, people)
            if str(data[f]).startswith(WHO):
                text = text[:1].upper() + text[1:]
            data[f] = text
        data["who"] = people
        return type(self).model_validate(data)


class ProposedMeasure(Measure):
    """A library measure adapted to the person's outcome, with prompts for baseline and target."""

    library_id: str = Field(description="The library measure it comes from; empty when drafted from the outcome.")
    fit: float = Field(description="How well the measure fits the outcome, 0..1.")
    fit_label: Literal["close match", "partial match", "drafted"] = Field(
        default="partial match", description="The fit in plain words; 'drafted' = no library measure fitted."
    )
    drafted: bool = Field(default=False, description="Written from the outcome itself, not taken from the library.")
    baseline: str | None = None
    target: str | None = None
    baseline_prompt: str
    target_prompt: str
    collectability: str = ""


class Turn(BaseModel):
    role: Literal["user", "coach"]
    text: str
    at: datetime
    reply: CoachReply | None = None


class Chain(BaseModel):
    """One ladder: the output the person stated, the rungs they climbed, the outcome and its measures."""

    id: str
    origin: str
    origin_label: Label
    rungs: list[str] = Field(default_factory=list)
    outcome: str | None = None
    status: Literal["open", "outcome", "skipped", "unresolved", "commitment"] = "open"
    commitment: str | None = None
    measures: list[ProposedMeasure] = Field(default_factory=list)
    baseline: str | None = None
    target: str | None = None
    by_when: str | None = None
    numbers_for: str | None = Field(default=None, description="The measure the baseline and target are for.")
    outcome_statement: str | None = None
    participant: str | None = Field(default=None, description="Who stated it, in a workshop's map.")


class CoachReply(BaseModel):
    """What every channel renders: the same facts whether shown in the widget, Slack or a terminal."""

    text: str
    statements: list[Classification] = Field(default_factory=list)
    question: str | None = None
    options: list[str] = Field(default_factory=list, description="Directions offered, never answers.")
    measures: list[ProposedMeasure] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    state: str
    queued: list[str] = Field(default_factory=list)
    chain_id: str | None = None
    act: str | None = Field(default=None, description="How the coach read the message (reply act), if it was one.")
    map: OutcomeMap | None = Field(
        default=None, description="The outcome map, when the reply shows it (summary): channels render it."
    )


class MapNode(BaseModel):
    id: str
    kind: Literal["output", "intermediate", "outcome", "measure"]
    text: str
    detail: dict[str, str] = Field(default_factory=dict)


class MapEdge(BaseModel):
    source: str
    target: str
    relation: Literal["serves", "evidenced_by"]


class OutcomeMap(BaseModel):
    title: str = "Outcome map"
    nodes: list[MapNode] = Field(default_factory=list)
    edges: list[MapEdge] = Field(default_factory=list)
    chains: list[Chain] = Field(default_factory=list)


Turn.model_rebuild()
CoachReply.model_rebuild()
