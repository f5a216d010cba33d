from typing import Literal

ProposedMeasureKind = Literal["lagging", "leading"]

PROPOSED_MEASURE_KIND_VALUES: set[ProposedMeasureKind] = {
    "lagging",
    "leading",
}


def check_proposed_measure_kind(value: str) -> ProposedMeasureKind:
    if value in PROPOSED_MEASURE_KIND_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PROPOSED_MEASURE_KIND_VALUES!r}"
    )
