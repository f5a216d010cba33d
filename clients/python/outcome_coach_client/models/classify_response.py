from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.classification import Classification
    from ..models.classify_response_blocks_type_0_item import (
        ClassifyResponseBlocksType0Item,
    )


T = TypeVar("T", bound="ClassifyResponse")


@_attrs_define
class ClassifyResponse:
    """
    Attributes:
        statements (list[Classification]):
        blocks (list[ClassifyResponseBlocksType0Item] | None | Unset): With render=slack: Block Kit blocks, ready for
            chat.postMessage. Buttons' action ids start with `coach_`; each button's `value` is exactly the text to send
            back as the person's next message.
        fallback (None | str | Unset): With render=slack: the plain `text` to post alongside the blocks (notifications).
        mrkdwn (None | str | Unset): With render=markdown: the whole reply as one Slack mrkdwn text (no tables, text
            escaped).
    """

    statements: list[Classification]
    blocks: list[ClassifyResponseBlocksType0Item] | None | Unset = UNSET
    fallback: None | str | Unset = UNSET
    mrkdwn: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        statements = []
        for statements_item_data in self.statements:
            statements_item = statements_item_data.to_dict()
            statements.append(statements_item)

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

        fallback: None | str | Unset
        if isinstance(self.fallback, Unset):
            fallback = UNSET
        else:
            fallback = self.fallback

        mrkdwn: None | str | Unset
        if isinstance(self.mrkdwn, Unset):
            mrkdwn = UNSET
        else:
            mrkdwn = self.mrkdwn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "statements": statements,
            }
        )
        if blocks is not UNSET:
            field_dict["blocks"] = blocks
        if fallback is not UNSET:
            field_dict["fallback"] = fallback
        if mrkdwn is not UNSET:
            field_dict["mrkdwn"] = mrkdwn

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.classification import Classification
        from ..models.classify_response_blocks_type_0_item import (
            ClassifyResponseBlocksType0Item,
        )

        d = dict(src_dict)
        statements = []
        _statements = d.pop("statements")
        for statements_item_data in _statements:
            statements_item = Classification.from_dict(statements_item_data)

            statements.append(statements_item)

        def _parse_blocks(
            data: object,
        ) -> list[ClassifyResponseBlocksType0Item] | None | Unset:
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
                    blocks_type_0_item = ClassifyResponseBlocksType0Item.from_dict(
                        blocks_type_0_item_data
                    )

                    blocks_type_0.append(blocks_type_0_item)

                return blocks_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ClassifyResponseBlocksType0Item] | None | Unset, data)

        blocks = _parse_blocks(d.pop("blocks", UNSET))

        def _parse_fallback(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fallback = _parse_fallback(d.pop("fallback", UNSET))

        def _parse_mrkdwn(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mrkdwn = _parse_mrkdwn(d.pop("mrkdwn", UNSET))

        classify_response = cls(
            statements=statements,
            blocks=blocks,
            fallback=fallback,
            mrkdwn=mrkdwn,
        )

        classify_response.additional_properties = d
        return classify_response

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
