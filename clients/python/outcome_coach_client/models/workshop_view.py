from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chain import Chain
    from ..models.workshop_statement import WorkshopStatement
    from ..models.workshop_view_counts import WorkshopViewCounts


T = TypeVar("T", bound="WorkshopView")


@_attrs_define
class WorkshopView:
    """
    Attributes:
        chains (list[Chain]): Chains that climbed at least one rung or reached an outcome.
        code (str):
        counts (WorkshopViewCounts):
        last_id (int):
        measures (list[str]):
        participants (int):
        statements (list[WorkshopStatement]): Statements after `after`, oldest first.
        team (str):
        title (str):
        unsure (list[WorkshopStatement]): Worth discussing: statements the coach flagged, or read with less than 80 %
            confidence (newest first).
        status (str | Unset): waiting (not started), live, or closed (no new participants). Default: 'live'.
        stuck (list[Chain] | Unset): Outputs that have not reached an outcome (yet): debrief material.
    """

    chains: list[Chain]
    code: str
    counts: WorkshopViewCounts
    last_id: int
    measures: list[str]
    participants: int
    statements: list[WorkshopStatement]
    team: str
    title: str
    unsure: list[WorkshopStatement]
    status: str | Unset = "live"
    stuck: list[Chain] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chains = []
        for chains_item_data in self.chains:
            chains_item = chains_item_data.to_dict()
            chains.append(chains_item)

        code = self.code

        counts = self.counts.to_dict()

        last_id = self.last_id

        measures = self.measures

        participants = self.participants

        statements = []
        for statements_item_data in self.statements:
            statements_item = statements_item_data.to_dict()
            statements.append(statements_item)

        team = self.team

        title = self.title

        unsure = []
        for unsure_item_data in self.unsure:
            unsure_item = unsure_item_data.to_dict()
            unsure.append(unsure_item)

        status = self.status

        stuck: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.stuck, Unset):
            stuck = []
            for stuck_item_data in self.stuck:
                stuck_item = stuck_item_data.to_dict()
                stuck.append(stuck_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chains": chains,
                "code": code,
                "counts": counts,
                "last_id": last_id,
                "measures": measures,
                "participants": participants,
                "statements": statements,
                "team": team,
                "title": title,
                "unsure": unsure,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if stuck is not UNSET:
            field_dict["stuck"] = stuck

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chain import Chain
        from ..models.workshop_statement import WorkshopStatement
        from ..models.workshop_view_counts import WorkshopViewCounts

        d = dict(src_dict)
        chains = []
        _chains = d.pop("chains")
        for chains_item_data in _chains:
            chains_item = Chain.from_dict(chains_item_data)

            chains.append(chains_item)

        code = d.pop("code")

        counts = WorkshopViewCounts.from_dict(d.pop("counts"))

        last_id = d.pop("last_id")

        measures = cast(list[str], d.pop("measures"))

        participants = d.pop("participants")

        statements = []
        _statements = d.pop("statements")
        for statements_item_data in _statements:
            statements_item = WorkshopStatement.from_dict(statements_item_data)

            statements.append(statements_item)

        team = d.pop("team")

        title = d.pop("title")

        unsure = []
        _unsure = d.pop("unsure")
        for unsure_item_data in _unsure:
            unsure_item = WorkshopStatement.from_dict(unsure_item_data)

            unsure.append(unsure_item)

        status = d.pop("status", UNSET)

        _stuck = d.pop("stuck", UNSET)
        stuck: list[Chain] | Unset = UNSET
        if _stuck is not UNSET:
            stuck = []
            for stuck_item_data in _stuck:
                stuck_item = Chain.from_dict(stuck_item_data)

                stuck.append(stuck_item)

        workshop_view = cls(
            chains=chains,
            code=code,
            counts=counts,
            last_id=last_id,
            measures=measures,
            participants=participants,
            statements=statements,
            team=team,
            title=title,
            unsure=unsure,
            status=status,
            stuck=stuck,
        )

        workshop_view.additional_properties = d
        return workshop_view

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
