from typing import Literal

ListCorrectionsStatusType0 = Literal["active", "promoted", "reverted"]

LIST_CORRECTIONS_STATUS_TYPE_0_VALUES: set[ListCorrectionsStatusType0] = {
    "active",
    "promoted",
    "reverted",
}


def check_list_corrections_status_type_0(value: str) -> ListCorrectionsStatusType0:
    if value in LIST_CORRECTIONS_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_CORRECTIONS_STATUS_TYPE_0_VALUES!r}"
    )
