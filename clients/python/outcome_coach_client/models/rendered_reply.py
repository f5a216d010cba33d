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
    from ..models.rendered_reply_blocks_type_0_item import RenderedReplyBlocksType0Item


T = TypeVar("T", bound="RenderedReply")


@_attrs_define
class RenderedReply:
    """The coach's reply, plus `blocks`/`fallback` (render=slack) or `mrkdwn` (render=markdown).

    Attributes:
        state (str):
        text (str):
        act (None | str | Unset): How the coach read the message (reply act), if it was one.
        blocks (list[RenderedReplyBlocksType0Item] | None | Unset): With render=slack: Block Kit blocks, ready for
            chat.postMessage. Buttons' action ids start with `coach_`; each button's `value` is exactly the text to send
            back as the person's next message.
        chain_id (None | str | Unset):
        citations (list[Citation] | Unset):
        fallback (None | str | Unset): With render=slack: the plain `text` to post alongside the blocks (notifications).
        map_ (None | OutcomeMap | Unset): The outcome map, when the reply shows it (summary): channels render it.
        measures (list[ProposedMeasure] | Unset):
        mrkdwn (None | str | Unset): With render=markdown: the whole reply as one Slack mrkdwn text (no tables, text
            escaped).
        options (list[str] | Unset): Directions offered, never answers.
        question (None | str | Unset):
        queued (list[str] | Unset):
        statements (list[Classification] | Unset):
    """

    state: str
    text: str
    act: None | str | Unset = UNSET
    blocks: list[RenderedReplyBlocksType0Item] | None | Unset = UNSET
    chain_id: None | str | Unset = UNSET
    citations: list[Citation] | Unset = UNSET
    fallback: None | str | Unset = UNSET
    map_: None | OutcomeMap | Unset = UNSET
    measures: list[ProposedMeasure] | Unset = UNSET
    mrkdwn: None | str | Unset = UNSET
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

        blocks: list[dict[str, Any]] | None | Unset
        if isinstance(self.blocks, Unset):
            blocks = UNSET
        elif isinstance(self.blocks, list):
            blocks = []
            for blocks_type_0_item_data in self.blocks:
                blocks_type_0_item = blocks_type_0_item_data.to_dict()
                blocks.append(blocks_type_0_item)

        else:
            blocks = self.blocks

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

        fallback: None | str | Unset
        if isinstance(self.fallback, Unset):
            fallback = UNSET
        else:
            fallback = self.fallback

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

        mrkdwn: None | str | Unset
        if isinstance(self.mrkdwn, Unset):
            mrkdwn = UNSET
        else:
            mrkdwn = self.mrkdwn

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
        if blocks is not UNSET:
            field_dict["blocks"] = blocks
        if chain_id is not UNSET:
            field_dict["chain_id"] = chain_id
        if citations is not UNSET:
            field_dict["citations"] = citations
        if fallback is not UNSET:
            field_dict["fallback"] = fallback
        if map_ is not UNSET:
            field_dict["map"] = map_
        if measures is not UNSET:
            field_dict["measures"] = measures
        if mrkdwn is not UNSET:
            field_dict["mrkdwn"] = mrkdwn
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
        from ..models.rendered_reply_blocks_type_0_item import (
            RenderedReplyBlocksType0Item,
        )

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

        def _parse_blocks(
            data: object,
        ) -> list[RenderedReplyBlocksType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                blocks_type_0 = []
                _blocks_type_0 = data
                for blocks_type_0_item_data in _blocks_type_0:
                    blocks_type_0_item = RenderedReplyBlocksType0Item.from_dict(
                        blocks_type_0_item_data
                    )

                    blocks_type_0.append(blocks_type_0_item)

                return blocks_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RenderedReplyBlocksType0Item] | None | Unset, data)

        blocks = _parse_blocks(d.pop("blocks", UNSET))

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

        def _parse_fallback(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fallback = _parse_fallback(d.pop("fallback", UNSET))

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

        def _parse_mrkdwn(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mrkdwn = _parse_mrkdwn(d.pop("mrkdwn", UNSET))

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

        rendered_reply = cls(
            state=state,
            text=text,
            act=act,
            blocks=blocks,
            chain_id=chain_id,
            citations=citations,
            fallback=fallback,
            map_=map_,
            measures=measures,
            mrkdwn=mrkdwn,
            options=options,
            question=question,
            queued=queued,
            statements=statements,
        )

        rendered_reply.additional_properties = d
        return rendered_reply

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
