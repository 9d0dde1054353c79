"""What a refused rule says on a page: the service's stable code → a translatable sentence.

Training's errors carry fixed Chinese messages, so the pages that call its
services say them here, translatable; quizzes' services already raise
translated messages, which pages show as they are.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from audit.errors import DomainError

CHECK_IN = {
    "check_in_code_invalid": _("签到码不正确，请核对屏幕上的数字。"),
    "check_in_code_expired": _("签到码已过期，请输入屏幕上最新的签到码。"),
    "check_in_code_foreign": _("这是另一场培训的签到码。"),
    "check_in_outside_window": _("现在不在签到时间内（开始前 15 分钟至结束）。"),
    "not_in_audience": _("您不在这场培训的参训范围内。"),
    "check_in_throttled": _("错误次数过多，请一分钟后再试。"),
    "session_cancelled": _("这场培训已取消。"),
    "person_inactive": _("您的账户已停用。"),
}

EXTERNAL_RECORD = {
    "evidence_invalid": _("证明材料须为图片或 PDF，且不超过 5 MB。"),
    "hours_invalid": _("学时须大于 0，且为 0.5 的整数倍。"),
    "person_inactive": _("您的账户已停用。"),
}


def message_for(error: DomainError, table: dict | None = None) -> str:
    return str((table or {}).get(error.code, error.message))
