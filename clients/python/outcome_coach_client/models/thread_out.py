from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.session_out import SessionOut


T = TypeVar("T", bound="ThreadOut")


@_attrs_define
class ThreadOut:
    """
    Attributes:
        created (bool): True when this call started the session (the thread's first use).
        external_id (str):
        session (SessionOut):
        session_id (str): Send the thread's messages to POST /v1/sessions/{session_id}/messages.
    """

    created: bool
    external_id: str
    session: SessionOut
    session_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created = self.created

        external_id = self.external_id

        session = self.session.to_dict()

        session_id = self.session_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created": created,
                "external_id": external_id,
                "session": session,
                "session_id": session_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.session_out import SessionOut

        d = dict(src_dict)
        created = d.pop("created")

        external_id = d.pop("external_id")

        session = SessionOut.from_dict(d.pop("session"))

        session_id = d.pop("session_id")

        thread_out = cls(
            created=created,
            external_id=external_id,
            session=session,
            session_id=session_id,
        )

        thread_out.additional_properties = d
        return thread_out

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
