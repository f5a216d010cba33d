from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.passage_kind import PassageKind, check_passage_kind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.citation import Citation
    from ..models.passage_metadata import PassageMetadata


T = TypeVar("T", bound="Passage")


@_attrs_define
class Passage:
    """One retrieved item: a guidance chunk, a measure or a labelled example.

    Attributes:
        id (str):
        kind (PassageKind):
        score (float): Cosine similarity to the query, 1 = identical.
        text (str):
        citation (Citation | None | Unset):
        metadata (PassageMetadata | Unset):
    """

    id: str
    kind: PassageKind
    score: float
    text: str
    citation: Citation | None | Unset = UNSET
    metadata: PassageMetadata | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.citation import Citation

        id = self.id

        kind: str = self.kind

        score = self.score

        text = self.text

        citation: dict[str, Any] | None | Unset
        if isinstance(self.citation, Unset):
            citation = UNSET
        elif isinstance(self.citation, Citation):
            citation = self.citation.to_dict()
        else:
            citation = self.citation

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "score": score,
                "text": text,
            }
        )
        if citation is not UNSET:
            field_dict["citation"] = citation
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.citation import Citation
        from ..models.passage_metadata import PassageMetadata

        d = dict(src_dict)
        id = d.pop("id")

        kind = check_passage_kind(d.pop("kind"))

        score = d.pop("score")

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

        _metadata = d.pop("metadata", UNSET)
        metadata: PassageMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = PassageMetadata.from_dict(_metadata)

        passage = cls(
            id=id,
            kind=kind,
            score=score,
            text=text,
            citation=citation,
            metadata=metadata,
        )

        passage.additional_properties = d
        return passage

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
