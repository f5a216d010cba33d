from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.outcome_map import OutcomeMap
    from ..models.rendered_reply import RenderedReply


T = TypeVar("T", bound="TurnOut")


@_attrs_define
class TurnOut:
    """
    Attributes:
        map_ (OutcomeMap):
        reply (RenderedReply): The coach's reply, plus `blocks`/`fallback` (render=slack) or `mrkdwn` (render=markdown).
        replayed (bool | Unset): True when an Idempotency-Key repeated an earlier turn. Default: False.
    """

    map_: OutcomeMap
    reply: RenderedReply
    replayed: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        map_ = self.map_.to_dict()

        reply = self.reply.to_dict()

        replayed = self.replayed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "map": map_,
                "reply": reply,
            }
        )
        if replayed is not UNSET:
            field_dict["replayed"] = replayed

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.outcome_map import OutcomeMap
        from ..models.rendered_reply import RenderedReply

        d = dict(src_dict)
        map_ = OutcomeMap.from_dict(d.pop("map"))

        reply = RenderedReply.from_dict(d.pop("reply"))

        replayed = d.pop("replayed", UNSET)

        turn_out = cls(
            map_=map_,
            reply=reply,
            replayed=replayed,
        )

        turn_out.additional_properties = d
        return turn_out

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
