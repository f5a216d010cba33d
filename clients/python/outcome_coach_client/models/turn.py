from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.turn_role import TurnRole, check_turn_role
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.coach_reply import CoachReply


T = TypeVar("T", bound="Turn")


@_attrs_define
class Turn:
    """
    Attributes:
        at (datetime.datetime):
        role (TurnRole):
        text (str):
        reply (CoachReply | None | Unset):
    """

    at: datetime.datetime
    role: TurnRole
    text: str
    reply: CoachReply | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.coach_reply import CoachReply

        at = self.at.isoformat()

        role: str = self.role

        text = self.text

        reply: dict[str, Any] | None | Unset
        if isinstance(self.reply, Unset):
            reply = UNSET
        elif isinstance(self.reply, CoachReply):
            reply = self.reply.to_dict()
        else:
            reply = self.reply

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "role": role,
                "text": text,
            }
        )
        if reply is not UNSET:
            field_dict["reply"] = reply

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.coach_reply import CoachReply

        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        role = check_turn_role(d.pop("role"))

        text = d.pop("text")

        def _parse_reply(data: object) -> CoachReply | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reply_type_0 = CoachReply.from_dict(data)

                return reply_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CoachReply | None | Unset, data)

        reply = _parse_reply(d.pop("reply", UNSET))

        turn = cls(
            at=at,
            role=role,
            text=text,
            reply=reply,
        )

        turn.additional_properties = d
        return turn

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
