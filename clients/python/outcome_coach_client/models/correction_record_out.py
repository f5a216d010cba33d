from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.correction_record_out_status import (
    CorrectionRecordOutStatus,
    check_correction_record_out_status,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="CorrectionRecordOut")


@_attrs_define
class CorrectionRecordOut:
    """A correction as reviewed: `active` applies to its team only, `promoted` to every team (the shared
    model learned it), `reverted` to no one.

        Attributes:
            created_at (datetime.datetime):
            id (int):
            label (str):
            session_id (None | str):
            source (str): Where it was made: api, chat, widget, slack, cli.
            status (CorrectionRecordOutStatus):
            team (str):
            text (str):
            changed_at (datetime.datetime | None | Unset):
            changed_by (None | str | Unset):
    """

    created_at: datetime.datetime
    id: int
    label: str
    session_id: None | str
    source: str
    status: CorrectionRecordOutStatus
    team: str
    text: str
    changed_at: datetime.datetime | None | Unset = UNSET
    changed_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        id = self.id

        label = self.label

        session_id: None | str
        session_id = self.session_id

        source = self.source

        status: str = self.status

        team = self.team

        text = self.text

        changed_at: None | str | Unset
        if isinstance(self.changed_at, Unset):
            changed_at = UNSET
        elif isinstance(self.changed_at, datetime.datetime):
            changed_at = self.changed_at.isoformat()
        else:
            changed_at = self.changed_at

        changed_by: None | str | Unset
        if isinstance(self.changed_by, Unset):
            changed_by = UNSET
        else:
            changed_by = self.changed_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "label": label,
                "session_id": session_id,
                "source": source,
                "status": status,
                "team": team,
                "text": text,
            }
        )
        if changed_at is not UNSET:
            field_dict["changed_at"] = changed_at
        if changed_by is not UNSET:
            field_dict["changed_by"] = changed_by

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        label = d.pop("label")

        def _parse_session_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        session_id = _parse_session_id(d.pop("session_id"))

        source = d.pop("source")

        status = check_correction_record_out_status(d.pop("status"))

        team = d.pop("team")

        text = d.pop("text")

        def _parse_changed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                changed_at_type_0 = datetime.datetime.fromisoformat(data)

                return changed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        changed_at = _parse_changed_at(d.pop("changed_at", UNSET))

        def _parse_changed_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        changed_by = _parse_changed_by(d.pop("changed_by", UNSET))

        correction_record_out = cls(
            created_at=created_at,
            id=id,
            label=label,
            session_id=session_id,
            source=source,
            status=status,
            team=team,
            text=text,
            changed_at=changed_at,
            changed_by=changed_by,
        )

        correction_record_out.additional_properties = d
        return correction_record_out

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
