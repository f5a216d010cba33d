from typing import Literal

ProposedMeasureFitLabel = Literal["close match", "drafted", "partial match"]

PROPOSED_MEASURE_FIT_LABEL_VALUES: set[ProposedMeasureFitLabel] = {
    "close match",
    "drafted",
    "partial match",
}


def check_proposed_measure_fit_label(value: str) -> ProposedMeasureFitLabel:
    if value in PROPOSED_MEASURE_FIT_LABEL_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PROPOSED_MEASURE_FIT_LABEL_VALUES!r}"
    )
