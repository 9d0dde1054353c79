"""The year's figures for the annual 法治政府建设 report.

Organisation targets (central-group studies vs 8, thematic legal trainings
vs 6) come from training; exam pass rates and credential changes from
quizzes; the average training days of enforcement officers (all content
categories, against the 12 days of the report) are computed here from the
ledger within the caller's scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, Sum

from training.models import Person

from . import sources
from .compliance import ComplianceDepartment

ENFORCEMENT_DAYS_TARGET = Decimal("12")
STUDIES_TARGET = 8
TRAININGS_TARGET = 6


@dataclass(frozen=True)
class AnnualFigures:
    year: int
    studies_held: int | None
    studies_target: int
    trainings_held: int | None
    trainings_target: int
    enforcement_officers: int
    enforcement_average_days: Decimal
    enforcement_days_target: Decimal
    exams: list[dict[str, Any]]
    credentials: dict[str, int | None]

    @property
    def studies_met(self) -> bool | None:
        return None if self.studies_held is None else self.studies_held >= self.studies_target

    @property
    def trainings_met(self) -> bool | None:
        return None if self.trainings_held is None else self.trainings_held >= self.trainings_target

    @property
    def enforcement_met(self) -> bool:
        return self.enforcement_average_days >= self.enforcement_days_target


def _read(obj, *names, default=None):
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def _kind_label(kind: str) -> str:
    try:
        from quizzes.models import QuizKind
    except ImportError:  # pragma: no cover - depends on what has landed
        return kind
    try:
        return str(QuizKind(kind).label)
    except ValueError:
        return kind


def _exam_rows(exams) -> list[dict[str, Any]]:
    """Pass rates per kind of exam, as rows: kind, label, attempts, passed, people, pass_rate (percent)."""
    items = exams.items() if isinstance(exams, dict) else ((e.get("kind", ""), e) for e in exams)
    return [
        {
            "kind": kind,
            "label": _kind_label(kind),
            "attempts": figures.get("attempts", 0),
            "passed": figures.get("passed", 0),
            "people": figures.get("people", 0),
            "pass_rate": figures.get("pass_rate"),
        }
        for kind, figures in items
    ]


def annual_figures(*, scope: ComplianceDepartment, year: int) -> AnnualFigures:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    officers = Person.objects.filter(
        Q(joined_on__isnull=True) | Q(joined_on__lte=end),
        Q(left_on__isnull=True) | Q(left_on__gte=start),
        is_enforcement_officer=True,
    )
    if scope.ids is not None:
        officers = officers.filter(department_id__in=scope.ids)
    officer_count = officers.count()
    # the per-person-year summary training keeps beside the ledger, not the ledger's millions of rows
    total = officers.aggregate(total=Sum("year_hours__total", filter=Q(year_hours__year=year)))["total"]
    average = Decimal("0.0")
    if officer_count and total:
        average = (total / officer_count / sources.hours_per_day(year=year)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    targets = sources.training_organisation_targets(year=year)
    studies = _read(targets, "central_group_study", "studies", "studies_held")
    trainings = _read(targets, "thematic_legal_training", "trainings", "trainings_held")
    quiz_figures = sources.quizzes_annual_figures(year=year) or {}
    exams = _exam_rows(_read(quiz_figures, "exams", default={}) or {})
    credentials = {
        key: _read(_read(quiz_figures, "credentials", default={}) or {}, key)
        for key in ("granted", "suspended", "revoked")
    }
    return AnnualFigures(
        year=year,
        studies_held=_read(studies, "held", default=studies) if studies is not None else None,
        studies_target=int(_read(studies, "target", default=STUDIES_TARGET) or STUDIES_TARGET),
        trainings_held=_read(trainings, "held", default=trainings) if trainings is not None else None,
        trainings_target=int(_read(trainings, "target", default=TRAININGS_TARGET) or TRAININGS_TARGET),
        enforcement_officers=officer_count,
        enforcement_average_days=average,
        enforcement_days_target=ENFORCEMENT_DAYS_TARGET,
        exams=exams,
        credentials=credentials,
    )
