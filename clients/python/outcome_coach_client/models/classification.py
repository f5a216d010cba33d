from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.classification_label import (
    ClassificationLabel,
    check_classification_label,
)
from ..models.classification_none_kind_type_0 import (
    ClassificationNoneKindType0,
    check_classification_none_kind_type_0,
)
from ..models.classification_second_opinion_type_0 import (
    ClassificationSecondOpinionType0,
    check_classification_second_opinion_type_0,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.evidence import Evidence


T = TypeVar("T", bound="Classification")


@_attrs_define
class Classification:
    """
    Attributes:
        confidence (float): Calibrated probability of `label`.
        label (ClassificationLabel): output or outcome; `none` when the text is not a statement about work (see
            `none_kind`).
        rationale (str):
        text (str):
        commitment (None | str | Unset): Set when an output is a legitimate commitment (compliance, contract).
        cues (list[str] | Unset):
        end (int | Unset):  Default: 0.
        evidence (list[Evidence] | Unset):
        language (None | str | Unset): ISO 639-1 code when the statement is not in English: the label is then only a
            guess.
        needs_clarification (bool | Unset):  Default: False.
        none_kind (ClassificationNoneKindType0 | None | Unset): Why the label is `none`: gibberish, small_talk, question
            or command.
        second_opinion (ClassificationSecondOpinionType0 | None | Unset):
        start (int | Unset):  Default: 0.
    """

    confidence: float
    label: ClassificationLabel
    rationale: str
    text: str
    commitment: None | str | Unset = UNSET
    cues: list[str] | Unset = UNSET
    end: int | Unset = 0
    evidence: list[Evidence] | Unset = UNSET
    language: None | str | Unset = UNSET
    needs_clarification: bool | Unset = False
    none_kind: ClassificationNoneKindType0 | None | Unset = UNSET
    second_opinion: ClassificationSecondOpinionType0 | None | Unset = UNSET
    start: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        confidence = self.confidence

        label: str = self.label

        rationale = self.rationale

        text = self.text

        commitment: None | str | Unset
        if isinstance(self.commitment, Unset):
            commitment = UNSET
        else:
            commitment = self.commitment

        cues: list[str] | Unset = UNSET
        if not isinstance(self.cues, Unset):
            cues = self.cues

        end = self.end

        evidence: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.evidence, Unset):
            evidence = []
            for evidence_item_data in self.evidence:
                evidence_item = evidence_item_data.to_dict()
                evidence.append(evidence_item)

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        needs_clarification = self.needs_clarification

        none_kind: None | str | Unset
        if isinstance(self.none_kind, Unset):
            none_kind = UNSET
        elif isinstance(self.none_kind, str):
            none_kind = self.none_kind
        else:
            none_kind = self.none_kind

        second_opinion: None | str | Unset
        if isinstance(self.second_opinion, Unset):
            second_opinion = UNSET
        elif isinstance(self.second_opinion, str):
            second_opinion = self.second_opinion
        else:
            second_opinion = self.second_opinion

        start = self.start

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "confidence": confidence,
                "label": label,
                "rationale": rationale,
                "text": text,
            }
        )
        if commitment is not UNSET:
            field_dict["commitment"] = commitment
        if cues is not UNSET:
            field_dict["cues"] = cues
        if end is not UNSET:
            field_dict["end"] = end
        if evidence is not UNSET:
            field_dict["evidence"] = evidence
        if language is not UNSET:
            field_dict["language"] = language
        if needs_clarification is not UNSET:
            field_dict["needs_clarification"] = needs_clarification
        if none_kind is not UNSET:
            field_dict["none_kind"] = none_kind
        if second_opinion is not UNSET:
            field_dict["second_opinion"] = second_opinion
        if start is not UNSET:
            field_dict["start"] = start

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.evidence import Evidence

        d = dict(src_dict)
        confidence = d.pop("confidence")

        label = check_classification_label(d.pop("label"))

        rationale = d.pop("rationale")

        text = d.pop("text")

        def _parse_commitment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        commitment = _parse_commitment(d.pop("commitment", UNSET))

        cues = cast(list[str], d.pop("cues", UNSET))

        end = d.pop("end", UNSET)

        _evidence = d.pop("evidence", UNSET)
        evidence: list[Evidence] | Unset = UNSET
        if _evidence is not UNSET:
            evidence = []
            for evidence_item_data in _evidence:
                evidence_item = Evidence.from_dict(evidence_item_data)

                evidence.append(evidence_item)

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        needs_clarification = d.pop("needs_clarification", UNSET)

        def _parse_none_kind(
            data: object,
        ) -> ClassificationNoneKindType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                none_kind_type_0 = check_classification_none_kind_type_0(data)

                return none_kind_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ClassificationNoneKindType0 | None | Unset, data)

        none_kind = _parse_none_kind(d.pop("none_kind", UNSET))

        def _parse_second_opinion(
            data: object,
        ) -> ClassificationSecondOpinionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                second_opinion_type_0 = check_classification_second_opinion_type_0(data)

                return second_opinion_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ClassificationSecondOpinionType0 | None | Unset, data)

        second_opinion = _parse_second_opinion(d.pop("second_opinion", UNSET))

        start = d.pop("start", UNSET)

        classification = cls(
            confidence=confidence,
            label=label,
            rationale=rationale,
            text=text,
            commitment=commitment,
            cues=cues,
            end=end,
            evidence=evidence,
            language=language,
            needs_clarification=needs_clarification,
            none_kind=none_kind,
            second_opinion=second_opinion,
            start=start,
        )

        classification.additional_properties = d
        return classification

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
