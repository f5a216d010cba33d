from typing import Literal

SearchKind = Literal["examples", "guidance", "measures"]

SEARCH_KIND_VALUES: set[SearchKind] = {
    "examples",
    "guidance",
    "measures",
}


def check_search_kind(value: str) -> SearchKind:
    if value in SEARCH_KIND_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SEARCH_KIND_VALUES!r}"
    )
