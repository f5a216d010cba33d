from typing import Literal

SessionMapFormat = Literal["csv", "json", "md", "svg"]

SESSION_MAP_FORMAT_VALUES: set[SessionMapFormat] = {
    "csv",
    "json",
    "md",
    "svg",
}


def check_session_map_format(value: str) -> SessionMapFormat:
    if value in SESSION_MAP_FORMAT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SESSION_MAP_FORMAT_VALUES!r}"
    )
