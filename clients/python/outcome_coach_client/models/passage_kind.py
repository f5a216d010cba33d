from typing import Literal

PassageKind = Literal["examples", "guidance", "measures", "questions"]

PASSAGE_KIND_VALUES: set[PassageKind] = {
    "examples",
    "guidance",
    "measures",
    "questions",
}


def check_passage_kind(value: str) -> PassageKind:
    if value in PASSAGE_KIND_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PASSAGE_KIND_VALUES!r}"
    )
