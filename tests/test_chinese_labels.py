"""The admin's field and model names are Chinese for a Chinese user, English for an English one."""

import pytest
from django.utils import translation

from notifications.models import Delivery
from quizzes.models import Credential, CredentialType, Quiz
from training.models import Person, TrainingSession


def label(model, field):
    return str(model._meta.get_field(field).verbose_name)


CASES = [
    (lambda: str(Credential._meta.verbose_name), "执法证", "credential"),
    (lambda: str(CredentialType._meta.verbose_name), "证件类型", "credential type"),
    (lambda: label(Credential, "domain"), "执法领域", "enforcement domain"),
    (lambda: label(Quiz, "time_limit_minutes"), "答题时限（分钟）", "time limit (minutes)"),
    (lambda: label(Quiz, "review_policy"), "查看答案规则", "review policy"),
    (lambda: label(Quiz, "pass_mark"), "及格分（百分制）", "pass mark (of 100)"),
    (lambda: label(Quiz, "required_legal_hours"), "本年度须达到的法律知识学时", "legal hours required this year"),
    (
        lambda: str(Quiz._meta.get_field("attempts_allowed").help_text),
        "留空表示不限次数；执法资格考试默认为 2 次",
        "empty = unlimited; certification defaults to 2",
    ),
    (lambda: label(Person, "staff_number"), "工号", "staff number"),
    (lambda: str(TrainingSession._meta.verbose_name_plural), "培训活动", "training sessions"),
    (lambda: label(TrainingSession, "credited_hours"), "认定学时", "credited hours"),
    (lambda: str(Delivery._meta.verbose_name), "投递", "delivery"),
    (lambda: label(Delivery, "lease_until"), "租约到期时间", "lease until"),
]


@pytest.mark.parametrize(("get", "chinese", "english"), CASES)
def test_labels_follow_the_language(get, chinese, english):
    with translation.override("zh-hans"):
        assert get() == chinese
    with translation.override("en"):
        assert get() == english


def test_plural_admin_message_in_chinese():
    with translation.override("zh-hans"):
        assert (
            translation.ngettext("%(n)d delivery queued again.", "%(n)d deliveries queued again.", 3) % {"n": 3}
            == "已重新排队 3 条投递。"
        )
