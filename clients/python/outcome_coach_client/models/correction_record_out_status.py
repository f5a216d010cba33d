from typing import Literal

CorrectionRecordOutStatus = Literal["active", "promoted", "reverted"]

CORRECTION_RECORD_OUT_STATUS_VALUES: set[CorrectionRecordOutStatus] = {
    "active",
    "promoted",
    "reverted",
}


def check_correction_record_out_status(value: str) -> CorrectionRecordOutStatus:
    if value in CORRECTION_RECORD_OUT_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CORRECTION_RECORD_OUT_STATUS_VALUES!r}"
    )
