from typing import Literal

RenderMode = Literal["markdown", "slack"]

RENDER_MODE_VALUES: set[RenderMode] = {
    "markdown",
    "slack",
}


def check_render_mode(value: str) -> RenderMode:
    if value in RENDER_MODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {RENDER_MODE_VALUES!r}"
    )
