"""Grading on the server: pure functions of a paper, the stored answers and the answer keys.

Single choice and true/false are exact. Multiple choice is all-or-nothing by
default; with partial credit each correct option chosen earns its share and
each wrong one takes a share away, never below zero (as Moodle's
"multiple answers" with negative marks for wrong options).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .models import QuestionType

TWO_PLACES = Decimal("0.01")


def chosen_option_ids(entry: dict, value) -> set[int] | None:
    """The bank option ids an answer value means, or None when it is not a list of this paper's keys."""
    if not isinstance(value, list):
        return None
    keys = entry.get("keys", {})
    try:
        return {int(keys[k]) for k in value}
    except (KeyError, TypeError, ValueError):
        return None


def fraction(*, entry: dict, answer_key, value, partial_credit: bool) -> Decimal:
    """The share (0..1) of a question's points an answer earns."""
    if value is None:
        return Decimal("0")
    if entry["type"] == QuestionType.TRUE_FALSE:
        return Decimal("1") if value is answer_key else Decimal("0")
    chosen = chosen_option_ids(entry, value)
    correct = {int(i) for i in answer_key or []}
    if chosen is None or not correct:
        return Decimal("0")
    if chosen == correct:
        return Decimal("1")
    if entry["type"] == QuestionType.MULTIPLE and partial_credit:
        right = len(chosen & correct)
        wrong = len(chosen - correct)
        total_options = max(len(entry.get("keys", {})), len(correct) + 1)
        share = Decimal(right) / Decimal(len(correct)) - Decimal(wrong) / Decimal(total_options - len(correct))
        return max(Decimal("0"), share).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return Decimal("0")


def grade(*, paper: dict, answers: dict, keys: dict[int, object], partial_credit: bool, pass_mark: Decimal):
    """Score a paper: returns (score, max_score, percent, passed, marks by question id)."""
    score = Decimal("0")
    max_score = Decimal("0")
    marks: dict[str, str] = {}
    for entry in paper.get("questions", []):
        points = Decimal(str(entry["points"]))
        max_score += points
        earned = fraction(
            entry=entry,
            answer_key=keys.get(entry["version_id"]),
            value=answers.get(entry["question_id"]),
            partial_credit=partial_credit,
        )
        marks[str(entry["question_id"])] = str(earned)
        score += points * earned
    score = score.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    percent = (score * 100 / max_score).quantize(TWO_PLACES, rounding=ROUND_HALF_UP) if max_score else Decimal("0")
    return score, max_score, percent, percent >= pass_mark, marks
