from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.session_create_mode import SessionCreateMode, check_session_create_mode
from ..types import UNSET, Unset

T = TypeVar("T", bound="SessionCreate")


@_attrs_define
class SessionCreate:
    """
    Attributes:
        mode (SessionCreateMode | Unset):  Default: 'coach'.
        participant (str | Unset): How the trainer's page names you (optional). Default: ''.
        workshop (None | str | Unset): The join code a trainer shared (mode workshop).
    """

    mode: SessionCreateMode | Unset = "coach"
    participant: str | Unset = ""
    workshop: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode

        participant = self.participant

        workshop: None | str | Unset
        if isinstance(self.workshop, Unset):
            workshop = UNSET
        else:
            workshop = self.workshop

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if mode is not UNSET:
            field_dict["mode"] = mode
        if participant is not UNSET:
            field_dict["participant"] = participant
        if workshop is not UNSET:
            field_dict["workshop"] = workshop

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _mode = d.pop("mode", UNSET)
        mode: SessionCreateMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = check_session_create_mode(_mode)

        participant = d.pop("participant", UNSET)

        def _parse_workshop(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        workshop = _parse_workshop(d.pop("workshop", UNSET))

        session_create = cls(
            mode=mode,
            participant=participant,
            workshop=workshop,
        )

        session_create.additional_properties = d
        return session_create

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
