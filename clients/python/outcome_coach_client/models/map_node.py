from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.map_node_kind import MapNodeKind, check_map_node_kind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.map_node_detail import MapNodeDetail


T = TypeVar("T", bound="MapNode")


@_attrs_define
class MapNode:
    """
    Attributes:
        id (str):
        kind (MapNodeKind):
        text (str):
        detail (MapNodeDetail | Unset):
    """

    id: str
    kind: MapNodeKind
    text: str
    detail: MapNodeDetail | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind: str = self.kind

        text = self.text

        detail: dict[str, Any] | Unset = UNSET
        if not isinstance(self.detail, Unset):
            detail = self.detail.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "text": text,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.map_node_detail import MapNodeDetail

        d = dict(src_dict)
        id = d.pop("id")

        kind = check_map_node_kind(d.pop("kind"))

        text = d.pop("text")

        _detail = d.pop("detail", UNSET)
        detail: MapNodeDetail | Unset
        if isinstance(_detail, Unset):
            detail = UNSET
        else:
            detail = MapNodeDetail.from_dict(_detail)

        map_node = cls(
            id=id,
            kind=kind,
            text=text,
            detail=detail,
        )

        map_node.additional_properties = d
        return map_node

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
