from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WorkshopStatement")


@_attrs_define
class WorkshopStatement:
    """
    Attributes:
        at (str):
        confidence (float):
        id (int):
        label (str):
        needs_clarification (bool):
        participant (str):
        session_id (str):
        text (str):
    """

    at: str
    confidence: float
    id: int
    label: str
    needs_clarification: bool
    participant: str
    session_id: str
    text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        confidence = self.confidence

        id = self.id

        label = self.label

        needs_clarification = self.needs_clarification

        participant = self.participant

        session_id = self.session_id

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "confidence": confidence,
                "id": id,
                "label": label,
                "needs_clarification": needs_clarification,
                "participant": participant,
                "session_id": session_id,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        at = d.pop("at")

        confidence = d.pop("confidence")

        id = d.pop("id")

        label = d.pop("label")

        needs_clarification = d.pop("needs_clarification")

        participant = d.pop("participant")

        session_id = d.pop("session_id")

        text = d.pop("text")

        workshop_statement = cls(
            at=at,
            confidence=confidence,
            id=id,
            label=label,
            needs_clarification=needs_clarification,
            participant=participant,
            session_id=session_id,
            text=text,
        )

        workshop_statement.additional_properties = d
        return workshop_statement

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
