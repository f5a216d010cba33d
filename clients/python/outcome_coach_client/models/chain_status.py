from typing import Literal

ChainStatus = Literal["commitment", "open", "outcome", "skipped", "unresolved"]

CHAIN_STATUS_VALUES: set[ChainStatus] = {
    "commitment",
    "open",
    "outcome",
    "skipped",
    "unresolved",
}


def check_chain_status(value: str) -> ChainStatus:
    if value in CHAIN_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CHAIN_STATUS_VALUES!r}"
    )
