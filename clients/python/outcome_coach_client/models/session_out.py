from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.outcome_map import OutcomeMap
    from ..models.turn import Turn


T = TypeVar("T", bound="SessionOut")


@_attrs_define
class SessionOut:
    """
    Attributes:
        id (str):
        map_ (OutcomeMap):
        messages (list[Turn]):
        mode (str):
        phase (str):
        workshop (None | str | Unset):
    """

    id: str
    map_: OutcomeMap
    messages: list[Turn]
    mode: str
    phase: str
    workshop: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        map_ = self.map_.to_dict()

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        mode = self.mode

        phase = self.phase

        workshop: None | str | Unset
        if isinstance(self.workshop, Unset):
            workshop = UNSET
        else:
            workshop = self.workshop

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "map": map_,
                "messages": messages,
                "mode": mode,
                "phase": phase,
            }
        )
        if workshop is not UNSET:
            field_dict["workshop"] = workshop

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.outcome_map import OutcomeMap
        from ..models.turn import Turn

        d = dict(src_dict)
        id = d.pop("id")

        map_ = OutcomeMap.from_dict(d.pop("map"))

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = Turn.from_dict(messages_item_data)

            messages.append(messages_item)

        mode = d.pop("mode")

        phase = d.pop("phase")

        def _parse_workshop(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        workshop = _parse_workshop(d.pop("workshop", UNSET))

        session_out = cls(
            id=id,
            map_=map_,
            messages=messages,
            mode=mode,
            phase=phase,
            workshop=workshop,
        )

        session_out.additional_properties = d
        return session_out

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
