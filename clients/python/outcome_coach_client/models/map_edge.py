from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.map_edge_relation import MapEdgeRelation, check_map_edge_relation

T = TypeVar("T", bound="MapEdge")


@_attrs_define
class MapEdge:
    """
    Attributes:
        relation (MapEdgeRelation):
        source (str):
        target (str):
    """

    relation: MapEdgeRelation
    source: str
    target: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        relation: str = self.relation

        source = self.source

        target = self.target

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "relation": relation,
                "source": source,
                "target": target,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        relation = check_map_edge_relation(d.pop("relation"))

        source = d.pop("source")

        target = d.pop("target")

        map_edge = cls(
            relation=relation,
            source=source,
            target=target,
        )

        map_edge.additional_properties = d
        return map_edge

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
