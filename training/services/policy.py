"""The year's training policy: copied forward from the latest earlier year, or the defaults."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from ..models import LEGAL_CATEGORIES, AppliesTo, RequirementRule, TrainingPolicy

DEFAULT_RULES = [
    # REGULATIONS.md: 干部教育培训工作条例 art. 14 — 12 days or 90 学时 a year.
    ("annual", "年度学习培训（12天）", AppliesTo.EVERYONE, Decimal("90.0"), []),
    # REGULATIONS.md: 国办发〔2023〕27号 local rules — enforcement officers ≥ 60 学时 of legal training.
    (
        "enforcement_legal",
        "执法人员法律知识培训",
        AppliesTo.ENFORCEMENT_OFFICERS,
        Decimal("60.0"),
        list(LEGAL_CATEGORIES),
    ),
]


def ensure_policy(*, year: int) -> TrainingPolicy:
    """The policy of ``year``; created on first use by copying the latest earlier year (or the defaults)."""
    policy = TrainingPolicy.objects.filter(year=year).first()
    if policy is not None:
        return policy
    source = TrainingPolicy.objects.filter(year__lt=year).order_by("-year").prefetch_related("rules").first()
    try:
        with transaction.atomic():
            if source is None:
                policy = TrainingPolicy.objects.create(year=year)
                rules = [
                    RequirementRule(
                        policy=policy,
                        code=code,
                        name=name,
                        applies_to=applies,
                        required_hours=hours,
                        categories=[str(c) for c in cats],
                        sort_order=i,
                    )
                    for i, (code, name, applies, hours, cats) in enumerate(DEFAULT_RULES)
                ]
            else:
                policy = TrainingPolicy.objects.create(
                    year=year,
                    hours_per_day=source.hours_per_day,
                    central_group_target=source.central_group_target,
                    thematic_training_target=source.thematic_training_target,
                )
                rules = [
                    RequirementRule(
                        policy=policy,
                        code=r.code,
                        name=r.name,
                        applies_to=r.applies_to,
                        required_hours=r.required_hours,
                        categories=list(r.categories),
                        sort_order=r.sort_order,
                    )
                    for r in source.rules.all()
                ]
            RequirementRule.objects.bulk_create(rules)
    except IntegrityError:  # another request made it first
        return TrainingPolicy.objects.get(year=year)
    return policy
