from typing import Literal

ClassificationNoneKindType0 = Literal["command", "gibberish", "question", "small_talk"]

CLASSIFICATION_NONE_KIND_TYPE_0_VALUES: set[ClassificationNoneKindType0] = {
    "command",
    "gibberish",
    "question",
    "small_talk",
}


def check_classification_none_kind_type_0(value: str) -> ClassificationNoneKindType0:
    if value in CLASSIFICATION_NONE_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CLASSIFICATION_NONE_KIND_TYPE_0_VALUES!r}"
    )
