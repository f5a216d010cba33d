from typing import Literal

SessionCreateMode = Literal["coach", "workshop"]

SESSION_CREATE_MODE_VALUES: set[SessionCreateMode] = {
    "coach",
    "workshop",
}


def check_session_create_mode(value: str) -> SessionCreateMode:
    if value in SESSION_CREATE_MODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SESSION_CREATE_MODE_VALUES!r}"
    )
