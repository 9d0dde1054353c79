"""The training app's refusals, each with a stable code (API.md, errors)."""

from __future__ import annotations

from audit.errors import DomainError, InvalidInput


class HoursInvalid(InvalidInput):
    code = "hours_invalid"
    default_message = "学时必须在 0 到 200 之间，且为 0.5 的倍数。"


class SessionTimesInvalid(InvalidInput):
    code = "session_times_invalid"
    default_message = "结束时间必须晚于开始时间。"


class RecurrenceInvalid(InvalidInput):
    code = "recurrence_invalid"
    default_message = "重复规则无效。"


class SessionCancelled(DomainError):
    code = "session_cancelled"
    default_message = "该培训已取消。"


class SessionNotEditable(DomainError):
    code = "session_not_editable"
    default_message = "已取消的培训不能修改。"


class CheckInCodeInvalid(DomainError):
    code = "check_in_code_invalid"
    default_message = "签到码错误。"


class CheckInCodeExpired(DomainError):
    code = "check_in_code_expired"
    default_message = "签到码已过期，请重新扫码。"


class CheckInCodeForeign(DomainError):
    code = "check_in_code_foreign"
    default_message = "这是另一场培训的签到码。"


class CheckInOutsideWindow(DomainError):
    code = "check_in_outside_window"
    default_message = "不在签到时间内（开始前 15 分钟至结束）。"


class NotInAudience(DomainError):
    code = "not_in_audience"
    default_message = "您不在该培训的参训范围内。"


class CheckInThrottled(DomainError):
    code = "check_in_throttled"
    status = 429
    default_message = "签到码错误次数过多，请一分钟后再试。"


class ReasonRequired(InvalidInput):
    code = "reason_required"
    default_message = "修改学时必须填写原因。"


class ImportInvalid(InvalidInput):
    code = "import_invalid"
    default_message = "导入文件有误，未导入任何数据。"


class EvidenceInvalid(InvalidInput):
    code = "evidence_invalid"
    default_message = "证明材料须为不超过 5 MB 的 PDF、JPEG 或 PNG 文件。"


class RecordAlreadyDecided(DomainError):
    code = "record_already_decided"
    default_message = "该记录已审核。"


class PersonInactive(DomainError):
    code = "person_inactive"
    default_message = "该人员已离职。"


class OwnRecord(DomainError):
    code = "cannot_decide_own_record"
    default_message = "不能审核本人的记录。"
