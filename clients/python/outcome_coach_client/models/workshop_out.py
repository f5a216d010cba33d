from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WorkshopOut")


@_attrs_define
class WorkshopOut:
    """
    Attributes:
        code (str): The short join code participants type into the widget.
        events (str): Path of the server-sent event stream.
        team (str):
        title (str):
        trainer_page (str): Path of the live trainer page (add ?key=… with a trainer key).
    """

    code: str
    events: str
    team: str
    title: str
    trainer_page: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        events = self.events

        team = self.team

        title = self.title

        trainer_page = self.trainer_page

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "events": events,
                "team": team,
                "title": title,
                "trainer_page": trainer_page,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        events = d.pop("events")

        team = d.pop("team")

        title = d.pop("title")

        trainer_page = d.pop("trainer_page")

        workshop_out = cls(
            code=code,
            events=events,
            team=team,
            title=title,
            trainer_page=trainer_page,
        )

        workshop_out.additional_properties = d
        return workshop_out

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
