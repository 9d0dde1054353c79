"""Statistics for admins, as Moodle's quiz statistics: per quiz the score
distribution and pass rate; per question the facility index (mean share of
the points earned) and the discrimination index (the correlation between the
question's mark and the rest of the test); per legal area the weakest
departments. Only the first submitted attempt of each person counts for the
question figures, as Moodle does by default."""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from statistics import mean, median

from training.models import Department

from ..models import Attempt, AttemptStatus, Quiz

BUCKETS = 10


def _q(value: float | Decimal | None, places: str = "0.01") -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _attempts(quiz: Quiz | None, department_ids: list[int] | None, first_only: bool = False):
    qs = Attempt.objects.filter(status=AttemptStatus.SUBMITTED)
    if quiz is not None:
        qs = qs.filter(quiz=quiz)
    if department_ids is not None:
        qs = qs.filter(person__department_id__in=department_ids)
    if first_only:
        qs = qs.filter(number=1)
    return qs


def quiz_statistics(*, quiz: Quiz, department_ids: list[int] | None = None) -> dict:
    """Attempts, mean, median, pass rate and a ten-band distribution of percentages."""
    rows = list(_attempts(quiz, department_ids).values_list("percent", "passed"))
    percents = [float(p) for p, _ in rows if p is not None]
    bands = [0] * BUCKETS
    for p in percents:
        bands[min(BUCKETS - 1, int(p // (100 / BUCKETS)))] += 1
    width = 100 // BUCKETS
    return {
        "quiz": quiz.pk,
        "title": quiz.title,
        "attempts": len(rows),
        "passed": sum(1 for _, passed in rows if passed),
        "pass_rate": _q(100 * sum(1 for _, passed in rows if passed) / len(rows), "0.1") if rows else None,
        "mean": _q(mean(percents)) if percents else None,
        "median": _q(median(percents)) if percents else None,
        "distribution": [{"from": i * width, "to": (i + 1) * width, "count": n} for i, n in enumerate(bands)],
    }


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def question_statistics(*, quiz: Quiz, department_ids: list[int] | None = None) -> list[dict]:
    """Per question: how often drawn, facility index (%) and discrimination index (%)."""
    rows = list(_attempts(quiz, department_ids, first_only=True).values_list("paper", "marks", "score"))
    per_question: dict[int, list[tuple[float, float]]] = defaultdict(list)
    info: dict[int, dict] = {}
    for paper, marks, score in rows:
        total = float(score or 0)
        for entry in paper.get("questions", []):
            qid = entry["question_id"]
            points = float(entry["points"])
            earned = float(Decimal(marks.get(str(qid), "0"))) * points
            per_question[qid].append((earned / points if points else 0.0, total - earned))
            info.setdefault(qid, {"stem": entry["stem"], "type": entry["type"], "tags": entry.get("tags", [])})
    result = []
    for qid in sorted(per_question):
        pairs = per_question[qid]
        fractions = [p[0] for p in pairs]
        rest = [p[1] for p in pairs]
        discrimination = _correlation(fractions, rest)
        result.append(
            {
                "question_id": qid,
                "stem": info[qid]["stem"],
                "type": info[qid]["type"],
                "tags": info[qid]["tags"],
                "attempts": len(pairs),
                "facility_index": _q(100 * sum(fractions) / len(fractions)),
                "discrimination_index": _q(100 * discrimination) if discrimination is not None else None,
            }
        )
    return result


def legal_area_statistics(
    *, quiz: Quiz | None = None, year: int | None = None, department_ids: list[int] | None = None, weakest: int = 3
) -> list[dict]:
    """Per legal area (question tag): the mean share earned per department, weakest first."""
    qs = _attempts(quiz, department_ids)
    if year is not None:
        qs = qs.filter(finished_at__year=year)
    sums: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for paper, marks, department_id in qs.values_list("paper", "marks", "person__department_id").iterator(
        chunk_size=500
    ):
        for entry in paper.get("questions", []):
            for tag in entry.get("tags", []) or ["—"]:
                sums[tag][department_id].append(float(Decimal(marks.get(str(entry["question_id"]), "0"))))
    names = dict(Department.objects.values_list("id", "name"))
    result = []
    for tag in sorted(sums):
        departments = [
            {
                "department": dept_id,
                "name": names.get(dept_id, ""),
                "answers": len(values),
                "facility": _q(100 * sum(values) / len(values)),
            }
            for dept_id, values in sums[tag].items()
        ]
        departments.sort(key=lambda d: (d["facility"], d["department"]))
        all_values = [v for values in sums[tag].values() for v in values]
        result.append(
            {
                "legal_area": tag,
                "answers": len(all_values),
                "facility": _q(100 * sum(all_values) / len(all_values)),
                "weakest_departments": departments[:weakest],
            }
        )
    return result
