from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chain import Chain
    from ..models.map_edge import MapEdge
    from ..models.map_node import MapNode


T = TypeVar("T", bound="OutcomeMap")


@_attrs_define
class OutcomeMap:
    """
    Attributes:
        chains (list[Chain] | Unset):
        edges (list[MapEdge] | Unset):
        nodes (list[MapNode] | Unset):
        title (str | Unset):  Default: 'Outcome map'.
    """

    chains: list[Chain] | Unset = UNSET
    edges: list[MapEdge] | Unset = UNSET
    nodes: list[MapNode] | Unset = UNSET
    title: str | Unset = "Outcome map"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chains: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.chains, Unset):
            chains = []
            for chains_item_data in self.chains:
                chains_item = chains_item_data.to_dict()
                chains.append(chains_item)

        edges: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.edges, Unset):
            edges = []
            for edges_item_data in self.edges:
                edges_item = edges_item_data.to_dict()
                edges.append(edges_item)

        nodes: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.nodes, Unset):
            nodes = []
            for nodes_item_data in self.nodes:
                nodes_item = nodes_item_data.to_dict()
                nodes.append(nodes_item)

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if chains is not UNSET:
            field_dict["chains"] = chains
        if edges is not UNSET:
            field_dict["edges"] = edges
        if nodes is not UNSET:
            field_dict["nodes"] = nodes
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chain import Chain
        from ..models.map_edge import MapEdge
        from ..models.map_node import MapNode

        d = dict(src_dict)
        _chains = d.pop("chains", UNSET)
        chains: list[Chain] | Unset = UNSET
        if _chains is not UNSET:
            chains = []
            for chains_item_data in _chains:
                chains_item = Chain.from_dict(chains_item_data)

                chains.append(chains_item)

        _edges = d.pop("edges", UNSET)
        edges: list[MapEdge] | Unset = UNSET
        if _edges is not UNSET:
            edges = []
            for edges_item_data in _edges:
                edges_item = MapEdge.from_dict(edges_item_data)

                edges.append(edges_item)

        _nodes = d.pop("nodes", UNSET)
        nodes: list[MapNode] | Unset = UNSET
        if _nodes is not UNSET:
            nodes = []
            for nodes_item_data in _nodes:
                nodes_item = MapNode.from_dict(nodes_item_data)

                nodes.append(nodes_item)

        title = d.pop("title", UNSET)

        outcome_map = cls(
            chains=chains,
            edges=edges,
            nodes=nodes,
            title=title,
        )

        outcome_map.additional_properties = d
        return outcome_map

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
