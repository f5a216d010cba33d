from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.evidence_kind import EvidenceKind, check_evidence_kind
from ..models.evidence_label_type_0 import (
    EvidenceLabelType0,
    check_evidence_label_type_0,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.citation import Citation


T = TypeVar("T", bound="Evidence")


@_attrs_define
class Evidence:
    """
    Attributes:
        kind (EvidenceKind):
        similarity (float):
        text (str):
        citation (Citation | None | Unset):
        domain (None | str | Unset):
        label (EvidenceLabelType0 | None | Unset):
    """

    kind: EvidenceKind
    similarity: float
    text: str
    citation: Citation | None | Unset = UNSET
    domain: None | str | Unset = UNSET
    label: EvidenceLabelType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.citation import Citation

        kind: str = self.kind

        similarity = self.similarity

        text = self.text

        citation: dict[str, Any] | None | Unset
        if isinstance(self.citation, Unset):
            citation = UNSET
        elif isinstance(self.citation, Citation):
            citation = self.citation.to_dict()
        else:
            citation = self.citation

        domain: None | str | Unset
        if isinstance(self.domain, Unset):
            domain = UNSET
        else:
            domain = self.domain

        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        elif isinstance(self.label, str):
            label = self.label
        else:
            label = self.label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "similarity": similarity,
                "text": text,
            }
        )
        if citation is not UNSET:
            field_dict["citation"] = citation
        if domain is not UNSET:
            field_dict["domain"] = domain
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.citation import Citation

        d = dict(src_dict)
        kind = check_evidence_kind(d.pop("kind"))

        similarity = d.pop("similarity")

        text = d.pop("text")

        def _parse_citation(data: object) -> Citation | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                citation_type_0 = Citation.from_dict(data)

                return citation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Citation | None | Unset, data)

        citation = _parse_citation(d.pop("citation", UNSET))

        def _parse_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        domain = _parse_domain(d.pop("domain", UNSET))

        def _parse_label(data: object) -> EvidenceLabelType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                label_type_0 = check_evidence_label_type_0(data)

                return label_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EvidenceLabelType0 | None | Unset, data)

        label = _parse_label(d.pop("label", UNSET))

        evidence = cls(
            kind=kind,
            similarity=similarity,
            text=text,
            citation=citation,
            domain=domain,
            label=label,
        )

        evidence.additional_properties = d
        return evidence

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
