from typing import Literal

MapNodeKind = Literal["intermediate", "measure", "outcome", "output"]

MAP_NODE_KIND_VALUES: set[MapNodeKind] = {
    "intermediate",
    "measure",
    "outcome",
    "output",
}


def check_map_node_kind(value: str) -> MapNodeKind:
    if value in MAP_NODE_KIND_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {MAP_NODE_KIND_VALUES!r}"
    )
