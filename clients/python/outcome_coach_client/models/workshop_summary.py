from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WorkshopSummary")


@_attrs_define
class WorkshopSummary:
    """
    Attributes:
        code (str):
        created_at (str):
        participants (int):
        statements (int):
        status (str):
        team (str):
        title (str):
    """

    code: str
    created_at: str
    participants: int
    statements: int
    status: str
    team: str
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        created_at = self.created_at

        participants = self.participants

        statements = self.statements

        status = self.status

        team = self.team

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "created_at": created_at,
                "participants": participants,
                "statements": statements,
                "status": status,
                "team": team,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        created_at = d.pop("created_at")

        participants = d.pop("participants")

        statements = d.pop("statements")

        status = d.pop("status")

        team = d.pop("team")

        title = d.pop("title")

        workshop_summary = cls(
            code=code,
            created_at=created_at,
            participants=participants,
            statements=statements,
            status=status,
            team=team,
            title=title,
        )

        workshop_summary.additional_properties = d
        return workshop_summary

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
