from typing import Literal

CorrectionInLabel = Literal["outcome", "output"]

CORRECTION_IN_LABEL_VALUES: set[CorrectionInLabel] = {
    "outcome",
    "output",
}


def check_correction_in_label(value: str) -> CorrectionInLabel:
    if value in CORRECTION_IN_LABEL_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CORRECTION_IN_LABEL_VALUES!r}"
    )
