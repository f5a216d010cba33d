from typing import Literal

ChainOriginLabel = Literal["outcome", "output"]

CHAIN_ORIGIN_LABEL_VALUES: set[ChainOriginLabel] = {
    "outcome",
    "output",
}


def check_chain_origin_label(value: str) -> ChainOriginLabel:
    if value in CHAIN_ORIGIN_LABEL_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CHAIN_ORIGIN_LABEL_VALUES!r}"
    )
