from typing import Literal

ProposedMeasureDirection = Literal["decrease", "increase"]

PROPOSED_MEASURE_DIRECTION_VALUES: set[ProposedMeasureDirection] = {
    "decrease",
    "increase",
}


def check_proposed_measure_direction(value: str) -> ProposedMeasureDirection:
    if value in PROPOSED_MEASURE_DIRECTION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PROPOSED_MEASURE_DIRECTION_VALUES!r}"
    )
