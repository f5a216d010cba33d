from typing import Literal

MapEdgeRelation = Literal["evidenced_by", "serves"]

MAP_EDGE_RELATION_VALUES: set[MapEdgeRelation] = {
    "evidenced_by",
    "serves",
}


def check_map_edge_relation(value: str) -> MapEdgeRelation:
    if value in MAP_EDGE_RELATION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {MAP_EDGE_RELATION_VALUES!r}"
    )
