"""Contains all the data models used in inputs/outputs"""

from .chain import Chain
from .chain_origin_label import ChainOriginLabel
from .chain_status import ChainStatus
from .citation import Citation
from .classification import Classification
from .classification_label import ClassificationLabel
from .classification_none_kind_type_0 import ClassificationNoneKindType0
from .classification_second_opinion_type_0 import ClassificationSecondOpinionType0
from .classify_request import ClassifyRequest
from .classify_response import ClassifyResponse
from .classify_response_blocks_type_0_item import ClassifyResponseBlocksType0Item
from .coach_reply import CoachReply
from .correction_in import CorrectionIn
from .correction_in_label import CorrectionInLabel
from .correction_list import CorrectionList
from .correction_out import CorrectionOut
from .correction_record_out import CorrectionRecordOut
from .correction_record_out_status import CorrectionRecordOutStatus
from .evidence import Evidence
from .evidence_kind import EvidenceKind
from .evidence_label_type_0 import EvidenceLabelType0
from .field_error import FieldError
from .healthz_response_healthz import HealthzResponseHealthz
from .list_corrections_status_type_0 import ListCorrectionsStatusType0
from .map_edge import MapEdge
from .map_edge_relation import MapEdgeRelation
from .map_node import MapNode
from .map_node_detail import MapNodeDetail
from .map_node_kind import MapNodeKind
from .measures_in import MeasuresIn
from .measures_out import MeasuresOut
from .message_in import MessageIn
from .outcome_map import OutcomeMap
from .passage import Passage
from .passage_kind import PassageKind
from .passage_metadata import PassageMetadata
from .problem import Problem
from .proposed_measure import ProposedMeasure
from .proposed_measure_direction import ProposedMeasureDirection
from .proposed_measure_fit_label import ProposedMeasureFitLabel
from .proposed_measure_kind import ProposedMeasureKind
from .render_mode import RenderMode
from .rendered_reply import RenderedReply
from .rendered_reply_blocks_type_0_item import RenderedReplyBlocksType0Item
from .search_kind import SearchKind
from .search_out import SearchOut
from .session_create import SessionCreate
from .session_create_mode import SessionCreateMode
from .session_list import SessionList
from .session_map_format import SessionMapFormat
from .session_out import SessionOut
from .session_summary import SessionSummary
from .thread_out import ThreadOut
from .turn import Turn
from .turn_out import TurnOut
from .turn_role import TurnRole
from .workshop_create import WorkshopCreate
from .workshop_list import WorkshopList
from .workshop_map_format import WorkshopMapFormat
from .workshop_out import WorkshopOut
from .workshop_state import WorkshopState
from .workshop_statement import WorkshopStatement
from .workshop_summary import WorkshopSummary
from .workshop_view import WorkshopView
from .workshop_view_counts import WorkshopViewCounts

__all__ = (
    "Chain",
    "ChainOriginLabel",
    "ChainStatus",
    "Citation",
    "Classification",
    "ClassificationLabel",
    "ClassificationNoneKindType0",
    "ClassificationSecondOpinionType0",
    "ClassifyRequest",
    "ClassifyResponse",
    "ClassifyResponseBlocksType0Item",
    "CoachReply",
    "CorrectionIn",
    "CorrectionInLabel",
    "CorrectionList",
    "CorrectionOut",
    "CorrectionRecordOut",
    "CorrectionRecordOutStatus",
    "Evidence",
    "EvidenceKind",
    "EvidenceLabelType0",
    "FieldError",
    "HealthzResponseHealthz",
    "ListCorrectionsStatusType0",
    "MapEdge",
    "MapEdgeRelation",
    "MapNode",
    "MapNodeDetail",
    "MapNodeKind",
    "MeasuresIn",
    "MeasuresOut",
    "MessageIn",
    "OutcomeMap",
    "Passage",
    "PassageKind",
    "PassageMetadata",
    "Problem",
    "ProposedMeasure",
    "ProposedMeasureDirection",
    "ProposedMeasureFitLabel",
    "ProposedMeasureKind",
    "RenderMode",
    "RenderedReply",
    "RenderedReplyBlocksType0Item",
    "SearchKind",
    "SearchOut",
    "SessionCreate",
    "SessionCreateMode",
    "SessionList",
    "SessionMapFormat",
    "SessionOut",
    "SessionSummary",
    "ThreadOut",
    "Turn",
    "TurnOut",
    "TurnRole",
    "WorkshopCreate",
    "WorkshopList",
    "WorkshopMapFormat",
    "WorkshopOut",
    "WorkshopState",
    "WorkshopStatement",
    "WorkshopSummary",
    "WorkshopView",
    "WorkshopViewCounts",
)
