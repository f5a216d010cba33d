from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.citation import Citation
    from ..models.classification import Classification
    from ..models.outcome_map import OutcomeMap
    from ..models.proposed_measure import ProposedMeasure


T = TypeVar("T", bound="CoachReply")


@_attrs_define
class CoachReply:
    """What every channel renders: the same facts whether shown in the widget, Slack or a terminal.

    Attributes:
        state (str):
        text (str):
        act (None | str | Unset): How the coach read the message (reply act), if it was one.
        chain_id (None | str | Unset):
        citations (list[Citation] | Unset):
        map_ (None | OutcomeMap | Unset): The outcome map, when the reply shows it (summary): channels render it.
        measures (list[ProposedMeasure] | Unset):
        options (list[str] | Unset): Directions offered, never answers.
        question (None | str | Unset):
        queued (list[str] | Unset):
        statements (list[Classification] | Unset):
    """

    state: str
    text: str
    act: None | str | Unset = UNSET
    chain_id: None | str | Unset = UNSET
    citations: list[Citation] | Unset = UNSET
    map_: None | OutcomeMap | Unset = UNSET
    measures: list[ProposedMeasure] | Unset = UNSET
    options: list[str] | Unset = UNSET
    question: None | str | Unset = UNSET
    queued: list[str] | Unset = UNSET
    statements: list[Classification] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.outcome_map import OutcomeMap

        state = self.state

        text = self.text

        act: None | str | Unset
        if isinstance(self.act, Unset):
            act = UNSET
        else:
            act = self.act

        chain_id: None | str | Unset
        if isinstance(self.chain_id, Unset):
            chain_id = UNSET
        else:
            chain_id = self.chain_id

        citations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.citations, Unset):
            citations = []
            for citations_item_data in self.citations:
                citations_item = citations_item_data.to_dict()
                citations.append(citations_item)

        map_: dict[str, Any] | None | Unset
        if isinstance(self.map_, Unset):
            map_ = UNSET
        elif isinstance(self.map_, OutcomeMap):
            map_ = self.map_.to_dict()
        else:
            map_ = self.map_

        measures: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.measures, Unset):
            measures = []
            for measures_item_data in self.measures:
                measures_item = measures_item_data.to_dict()
                measures.append(measures_item)

        options: list[str] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options

        question: None | str | Unset
        if isinstance(self.question, Unset):
            question = UNSET
        else:
            question = self.question

        queued: list[str] | Unset = UNSET
        if not isinstance(self.queued, Unset):
            queued = self.queued

        statements: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.statements, Unset):
            statements = []
            for statements_item_data in self.statements:
                statements_item = statements_item_data.to_dict()
                statements.append(statements_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "state": state,
                "text": text,
            }
        )
        if act is not UNSET:
            field_dict["act"] = act
        if chain_id is not UNSET:
            field_dict["chain_id"] = chain_id
        if citations is not UNSET:
            field_dict["citations"] = citations
        if map_ is not UNSET:
            field_dict["map"] = map_
        if measures is not UNSET:
            field_dict["measures"] = measures
        if options is not UNSET:
            field_dict["options"] = options
        if question is not UNSET:
            field_dict["question"] = question
        if queued is not UNSET:
            field_dict["queued"] = queued
        if statements is not UNSET:
            field_dict["statements"] = statements

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.citation import Citation
        from ..models.classification import Classification
        from ..models.outcome_map import OutcomeMap
        from ..models.proposed_measure import ProposedMeasure

        d = dict(src_dict)
        state = d.pop("state")

        text = d.pop("text")

        def _parse_act(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        act = _parse_act(d.pop("act", UNSET))

        def _parse_chain_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        chain_id = _parse_chain_id(d.pop("chain_id", UNSET))

        _citations = d.pop("citations", UNSET)
        citations: list[Citation] | Unset = UNSET
        if _citations is not UNSET:
            citations = []
            for citations_item_data in _citations:
                citations_item = Citation.from_dict(citations_item_data)

                citations.append(citations_item)

        def _parse_map_(data: object) -> None | OutcomeMap | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                map_type_0 = OutcomeMap.from_dict(data)

                return map_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OutcomeMap | Unset, data)

        map_ = _parse_map_(d.pop("map", UNSET))

        _measures = d.pop("measures", UNSET)
        measures: list[ProposedMeasure] | Unset = UNSET
        if _measures is not UNSET:
            measures = []
            for measures_item_data in _measures:
                measures_item = ProposedMeasure.from_dict(measures_item_data)

                measures.append(measures_item)

        options = cast(list[str], d.pop("options", UNSET))

        def _parse_question(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        question = _parse_question(d.pop("question", UNSET))

        queued = cast(list[str], d.pop("queued", UNSET))

        _statements = d.pop("statements", UNSET)
        statements: list[Classification] | Unset = UNSET
        if _statements is not UNSET:
            statements = []
            for statements_item_data in _statements:
                statements_item = Classification.from_dict(statements_item_data)

                statements.append(statements_item)

        coach_reply = cls(
            state=state,
            text=text,
            act=act,
            chain_id=chain_id,
            citations=citations,
            map_=map_,
            measures=measures,
            options=options,
            question=question,
            queued=queued,
            statements=statements,
        )

        coach_reply.additional_properties = d
        return coach_reply

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
