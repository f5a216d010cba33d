from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.proposed_measure_direction import (
    ProposedMeasureDirection,
    check_proposed_measure_direction,
)
from ..models.proposed_measure_fit_label import (
    ProposedMeasureFitLabel,
    check_proposed_measure_fit_label,
)
from ..models.proposed_measure_kind import (
    ProposedMeasureKind,
    check_proposed_measure_kind,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ProposedMeasure")


@_attrs_define
class ProposedMeasure:
    """A library measure adapted to the person's outcome, with prompts for baseline and target.

    Attributes:
        balancing_measure (str):
        baseline_prompt (str):
        cadence (str):
        calculation (str):
        data_owner (str):
        data_sources (list[str]):
        definition (str):
        direction (ProposedMeasureDirection):
        domain (str):
        fit (float): How well the measure fits the outcome, 0..1.
        gaming_risk (str):
        id (str):
        kind (ProposedMeasureKind):
        library_id (str): The library measure it comes from; empty when drafted from the outcome.
        name (str):
        outcome_themes (list[str]):
        target_prompt (str):
        unit (str):
        who (str):
        baseline (None | str | Unset):
        collectability (str | Unset):  Default: ''.
        drafted (bool | Unset): Written from the outcome itself, not taken from the library. Default: False.
        fit_label (ProposedMeasureFitLabel | Unset): The fit in plain words; 'drafted' = no library measure fitted.
            Default: 'partial match'.
        keywords (list[str] | Unset): Synonyms people use, for lexical matching.
        target (None | str | Unset):
    """

    balancing_measure: str
    baseline_prompt: str
    cadence: str
    calculation: str
    data_owner: str
    data_sources: list[str]
    definition: str
    direction: ProposedMeasureDirection
    domain: str
    fit: float
    gaming_risk: str
    id: str
    kind: ProposedMeasureKind
    library_id: str
    name: str
    outcome_themes: list[str]
    target_prompt: str
    unit: str
    who: str
    baseline: None | str | Unset = UNSET
    collectability: str | Unset = ""
    drafted: bool | Unset = False
    fit_label: ProposedMeasureFitLabel | Unset = "partial match"
    keywords: list[str] | Unset = UNSET
    target: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        balancing_measure = self.balancing_measure

        baseline_prompt = self.baseline_prompt

        cadence = self.cadence

        calculation = self.calculation

        data_owner = self.data_owner

        data_sources = self.data_sources

        definition = self.definition

        direction: str = self.direction

        domain = self.domain

        fit = self.fit

        gaming_risk = self.gaming_risk

        id = self.id

        kind: str = self.kind

        library_id = self.library_id

        name = self.name

        outcome_themes = self.outcome_themes

        target_prompt = self.target_prompt

        unit = self.unit

        who = self.who

        baseline: None | str | Unset
        if isinstance(self.baseline, Unset):
            baseline = UNSET
        else:
            baseline = self.baseline

        collectability = self.collectability

        drafted = self.drafted

        fit_label: str | Unset = UNSET
        if not isinstance(self.fit_label, Unset):
            fit_label = self.fit_label

        keywords: list[str] | Unset = UNSET
        if not isinstance(self.keywords, Unset):
            keywords = self.keywords

        target: None | str | Unset
        if isinstance(self.target, Unset):
            target = UNSET
        else:
            target = self.target

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "balancing_measure": balancing_measure,
                "baseline_prompt": baseline_prompt,
                "cadence": cadence,
                "calculation": calculation,
                "data_owner": data_owner,
                "data_sources": data_sources,
                "definition": definition,
                "direction": direction,
                "domain": domain,
                "fit": fit,
                "gaming_risk": gaming_risk,
                "id": id,
                "kind": kind,
                "library_id": library_id,
                "name": name,
                "outcome_themes": outcome_themes,
                "target_prompt": target_prompt,
                "unit": unit,
                "who": who,
            }
        )
        if baseline is not UNSET:
            field_dict["baseline"] = baseline
        if collectability is not UNSET:
            field_dict["collectability"] = collectability
        if drafted is not UNSET:
            field_dict["drafted"] = drafted
        if fit_label is not UNSET:
            field_dict["fit_label"] = fit_label
        if keywords is not UNSET:
            field_dict["keywords"] = keywords
        if target is not UNSET:
            field_dict["target"] = target

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        balancing_measure = d.pop("balancing_measure")

        baseline_prompt = d.pop("baseline_prompt")

        cadence = d.pop("cadence")

        calculation = d.pop("calculation")

        data_owner = d.pop("data_owner")

        data_sources = cast(list[str], d.pop("data_sources"))

        definition = d.pop("definition")

        direction = check_proposed_measure_direction(d.pop("direction"))

        domain = d.pop("domain")

        fit = d.pop("fit")

        gaming_risk = d.pop("gaming_risk")

        id = d.pop("id")

        kind = check_proposed_measure_kind(d.pop("kind"))

        library_id = d.pop("library_id")

        name = d.pop("name")

        outcome_themes = cast(list[str], d.pop("outcome_themes"))

        target_prompt = d.pop("target_prompt")

        unit = d.pop("unit")

        who = d.pop("who")

        def _parse_baseline(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        baseline = _parse_baseline(d.pop("baseline", UNSET))

        collectability = d.pop("collectability", UNSET)

        drafted = d.pop("drafted", UNSET)

        _fit_label = d.pop("fit_label", UNSET)
        fit_label: ProposedMeasureFitLabel | Unset
        if isinstance(_fit_label, Unset):
            fit_label = UNSET
        else:
            fit_label = check_proposed_measure_fit_label(_fit_label)

        keywords = cast(list[str], d.pop("keywords", UNSET))

        def _parse_target(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target = _parse_target(d.pop("target", UNSET))

        proposed_measure = cls(
            balancing_measure=balancing_measure,
            baseline_prompt=baseline_prompt,
            cadence=cadence,
            calculation=calculation,
            data_owner=data_owner,
            data_sources=data_sources,
            definition=definition,
            direction=direction,
            domain=domain,
            fit=fit,
            gaming_risk=gaming_risk,
            id=id,
            kind=kind,
            library_id=library_id,
            name=name,
            outcome_themes=outcome_themes,
            target_prompt=target_prompt,
            unit=unit,
            who=who,
            baseline=baseline,
            collectability=collectability,
            drafted=drafted,
            fit_label=fit_label,
            keywords=keywords,
            target=target,
        )

        proposed_measure.additional_properties = d
        return proposed_measure

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
