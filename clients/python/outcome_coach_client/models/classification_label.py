from typing import Literal

ClassificationLabel = Literal["none", "outcome", "output"]

CLASSIFICATION_LABEL_VALUES: set[ClassificationLabel] = {
    "none",
    "outcome",
    "output",
}


def check_classification_label(value: str) -> ClassificationLabel:
    if value in CLASSIFICATION_LABEL_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CLASSIFICATION_LABEL_VALUES!r}"
    )
