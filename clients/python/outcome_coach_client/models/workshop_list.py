from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.workshop_summary import WorkshopSummary


T = TypeVar("T", bound="WorkshopList")


@_attrs_define
class WorkshopList:
    """
    Attributes:
        workshops (list[WorkshopSummary]):
    """

    workshops: list[WorkshopSummary]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workshops = []
        for workshops_item_data in self.workshops:
            workshops_item = workshops_item_data.to_dict()
            workshops.append(workshops_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workshops": workshops,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.workshop_summary import WorkshopSummary

        d = dict(src_dict)
        workshops = []
        _workshops = d.pop("workshops")
        for workshops_item_data in _workshops:
            workshops_item = WorkshopSummary.from_dict(workshops_item_data)

            workshops.append(workshops_item)

        workshop_list = cls(
            workshops=workshops,
        )

        workshop_list.additional_properties = d
        return workshop_list

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
