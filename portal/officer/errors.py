"""What a refused rule says on a page: the service's stable code → a sentence for people.

Services raise errors with English messages for API clients; pages show these
translatable sentences instead, and fall back to the service's message for a
code they do not know.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from audit.errors import DomainError

MESSAGES = {
    "check_in_code_invalid": _("签到码不正确，请核对屏幕上的数字。"),
    "check_in_code_expired": _("签到码已过期，请输入屏幕上最新的签到码。"),
    "check_in_code_foreign": _("这是另一场培训的签到码。"),
    "check_in_outside_window": _("现在不在签到时间内（开始前 15 分钟至结束）。"),
    "not_in_audience": _("您不在这场培训的参训范围内。"),
    "check_in_throttled": _("错误次数过多，请一分钟后再试。"),
    "session_cancelled": _("这场培训已取消。"),
    "exam_window_closed": _("考试不在开放时间内。"),
    "exam_not_open": _("考试不在开放时间内。"),
    "no_attempts_left": _("您的考试次数已用完。"),
    "attempts_exhausted": _("您的考试次数已用完。"),
    "prerequisite_hours_missing": _("参加本考试前需要完成规定的法律知识学时。"),
    "start_password_required": _("请输入考试口令。"),
    "start_password_wrong": _("考试口令不正确。"),
    "attempt_closed": _("本次作答已结束。"),
    "evidence_invalid": _("证明材料须为图片或 PDF，且不超过 5 MB。"),
    "hours_invalid": _("学时须大于 0，且为 0.5 的整数倍。"),
    "person_inactive": _("您的账户已停用。"),
}


def message_for(error: DomainError) -> str:
    return str(MESSAGES.get(error.code, error.message))
