from typing import Literal

WorkshopMapFormat = Literal["csv", "json", "md", "svg"]

WORKSHOP_MAP_FORMAT_VALUES: set[WorkshopMapFormat] = {
    "csv",
    "json",
    "md",
    "svg",
}


def check_workshop_map_format(value: str) -> WorkshopMapFormat:
    if value in WORKSHOP_MAP_FORMAT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {WORKSHOP_MAP_FORMAT_VALUES!r}"
    )
