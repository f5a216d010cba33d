from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SessionSummary")


@_attrs_define
class SessionSummary:
    """
    Attributes:
        chains (int):
        created_at (str):
        id (str):
        mode (str):
        phase (str):
        updated_at (str):
        workshop (None | str):
    """

    chains: int
    created_at: str
    id: str
    mode: str
    phase: str
    updated_at: str
    workshop: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chains = self.chains

        created_at = self.created_at

        id = self.id

        mode = self.mode

        phase = self.phase

        updated_at = self.updated_at

        workshop: None | str
        workshop = self.workshop

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chains": chains,
                "created_at": created_at,
                "id": id,
                "mode": mode,
                "phase": phase,
                "updated_at": updated_at,
                "workshop": workshop,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        chains = d.pop("chains")

        created_at = d.pop("created_at")

        id = d.pop("id")

        mode = d.pop("mode")

        phase = d.pop("phase")

        updated_at = d.pop("updated_at")

        def _parse_workshop(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        workshop = _parse_workshop(d.pop("workshop"))

        session_summary = cls(
            chains=chains,
            created_at=created_at,
            id=id,
            mode=mode,
            phase=phase,
            updated_at=updated_at,
            workshop=workshop,
        )

        session_summary.additional_properties = d
        return session_summary

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
