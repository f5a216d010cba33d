from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.chain_origin_label import ChainOriginLabel, check_chain_origin_label
from ..models.chain_status import ChainStatus, check_chain_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.proposed_measure import ProposedMeasure


T = TypeVar("T", bound="Chain")


@_attrs_define
class Chain:
    """One ladder: the output the person stated, the rungs they climbed, the outcome and its measures.

    Attributes:
        id (str):
        origin (str):
        origin_label (ChainOriginLabel):
        baseline (None | str | Unset):
        by_when (None | str | Unset):
        commitment (None | str | Unset):
        measures (list[ProposedMeasure] | Unset):
        numbers_for (None | str | Unset): The measure the baseline and target are for.
        outcome (None | str | Unset):
        outcome_statement (None | str | Unset):
        participant (None | str | Unset): Who stated it, in a workshop's map.
        rungs (list[str] | Unset):
        status (ChainStatus | Unset):  Default: 'open'.
        target (None | str | Unset):
    """

    id: str
    origin: str
    origin_label: ChainOriginLabel
    baseline: None | str | Unset = UNSET
    by_when: None | str | Unset = UNSET
    commitment: None | str | Unset = UNSET
    measures: list[ProposedMeasure] | Unset = UNSET
    numbers_for: None | str | Unset = UNSET
    outcome: None | str | Unset = UNSET
    outcome_statement: None | str | Unset = UNSET
    participant: None | str | Unset = UNSET
    rungs: list[str] | Unset = UNSET
    status: ChainStatus | Unset = "open"
    target: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        origin = self.origin

        origin_label: str = self.origin_label

        baseline: None | str | Unset
        if isinstance(self.baseline, Unset):
            baseline = UNSET
        else:
            baseline = self.baseline

        by_when: None | str | Unset
        if isinstance(self.by_when, Unset):
            by_when = UNSET
        else:
            by_when = self.by_when

        commitment: None | str | Unset
        if isinstance(self.commitment, Unset):
            commitment = UNSET
        else:
            commitment = self.commitment

        measures: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.measures, Unset):
            measures = []
            for measures_item_data in self.measures:
                measures_item = measures_item_data.to_dict()
                measures.append(measures_item)

        numbers_for: None | str | Unset
        if isinstance(self.numbers_for, Unset):
            numbers_for = UNSET
        else:
            numbers_for = self.numbers_for

        outcome: None | str | Unset
        if isinstance(self.outcome, Unset):
            outcome = UNSET
        else:
            outcome = self.outcome

        outcome_statement: None | str | Unset
        if isinstance(self.outcome_statement, Unset):
            outcome_statement = UNSET
        else:
            outcome_statement = self.outcome_statement

        participant: None | str | Unset
        if isinstance(self.participant, Unset):
            participant = UNSET
        else:
            participant = self.participant

        rungs: list[str] | Unset = UNSET
        if not isinstance(self.rungs, Unset):
            rungs = self.rungs

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status

        target: None | str | Unset
        if isinstance(self.target, Unset):
            target = UNSET
        else:
            target = self.target

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "origin": origin,
                "origin_label": origin_label,
            }
        )
        if baseline is not UNSET:
            field_dict["baseline"] = baseline
        if by_when is not UNSET:
            field_dict["by_when"] = by_when
        if commitment is not UNSET:
            field_dict["commitment"] = commitment
        if measures is not UNSET:
            field_dict["measures"] = measures
        if numbers_for is not UNSET:
            field_dict["numbers_for"] = numbers_for
        if outcome is not UNSET:
            field_dict["outcome"] = outcome
        if outcome_statement is not UNSET:
            field_dict["outcome_statement"] = outcome_statement
        if participant is not UNSET:
            field_dict["participant"] = participant
        if rungs is not UNSET:
            field_dict["rungs"] = rungs
        if status is not UNSET:
            field_dict["status"] = status
        if target is not UNSET:
            field_dict["target"] = target

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.proposed_measure import ProposedMeasure

        d = dict(src_dict)
        id = d.pop("id")

        origin = d.pop("origin")

        origin_label = check_chain_origin_label(d.pop("origin_label"))

        def _parse_baseline(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        baseline = _parse_baseline(d.pop("baseline", UNSET))

        def _parse_by_when(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        by_when = _parse_by_when(d.pop("by_when", UNSET))

        def _parse_commitment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        commitment = _parse_commitment(d.pop("commitment", UNSET))

        _measures = d.pop("measures", UNSET)
        measures: list[ProposedMeasure] | Unset = UNSET
        if _measures is not UNSET:
            measures = []
            for measures_item_data in _measures:
                measures_item = ProposedMeasure.from_dict(measures_item_data)

                measures.append(measures_item)

        def _parse_numbers_for(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        numbers_for = _parse_numbers_for(d.pop("numbers_for", UNSET))

        def _parse_outcome(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        outcome = _parse_outcome(d.pop("outcome", UNSET))

        def _parse_outcome_statement(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        outcome_statement = _parse_outcome_statement(d.pop("outcome_statement", UNSET))

        def _parse_participant(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        participant = _parse_participant(d.pop("participant", UNSET))

        rungs = cast(list[str], d.pop("rungs", UNSET))

        _status = d.pop("status", UNSET)
        status: ChainStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = check_chain_status(_status)

        def _parse_target(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target = _parse_target(d.pop("target", UNSET))

        chain = cls(
            id=id,
            origin=origin,
            origin_label=origin_label,
            baseline=baseline,
            by_when=by_when,
            commitment=commitment,
            measures=measures,
            numbers_for=numbers_for,
            outcome=outcome,
            outcome_statement=outcome_statement,
            participant=participant,
            rungs=rungs,
            status=status,
            target=target,
        )

        chain.additional_properties = d
        return chain

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
