from typing import Literal

EvidenceLabelType0 = Literal["outcome", "output"]

EVIDENCE_LABEL_TYPE_0_VALUES: set[EvidenceLabelType0] = {
    "outcome",
    "output",
}


def check_evidence_label_type_0(value: str) -> EvidenceLabelType0:
    if value in EVIDENCE_LABEL_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {EVIDENCE_LABEL_TYPE_0_VALUES!r}"
    )
