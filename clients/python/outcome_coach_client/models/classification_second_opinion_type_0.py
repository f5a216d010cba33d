from typing import Literal

ClassificationSecondOpinionType0 = Literal["outcome", "output"]

CLASSIFICATION_SECOND_OPINION_TYPE_0_VALUES: set[ClassificationSecondOpinionType0] = {
    "outcome",
    "output",
}


def check_classification_second_opinion_type_0(
    value: str,
) -> ClassificationSecondOpinionType0:
    if value in CLASSIFICATION_SECOND_OPINION_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CLASSIFICATION_SECOND_OPINION_TYPE_0_VALUES!r}"
    )
