"""Grading rules: exact single and true/false, multiple all-or-nothing or partial credit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quizzes.grading import fraction, grade

MULTI = {
    "question_id": 1,
    "version_id": 11,
    "type": "multiple",
    "points": "4",
    "keys": {"ka": 1, "kb": 2, "kc": 3, "kd": 4},
}
SINGLE = {"question_id": 2, "version_id": 12, "type": "single", "points": "2", "keys": {"kx": 1, "ky": 2}}
JUDGE = {"question_id": 3, "version_id": 13, "type": "true_false", "points": "1", "keys": {}}


@pytest.mark.parametrize(
    ("value", "partial", "expected"),
    [
        (["ka", "kb"], False, Decimal("1")),
        (["ka"], False, Decimal("0")),
        (["ka", "kb", "kc"], False, Decimal("0")),
        (["ka"], True, Decimal("0.5000")),
        (["ka", "kc"], True, Decimal("0")),
        (["ka", "kb", "kc"], True, Decimal("0.5000")),
        (["kc", "kd"], True, Decimal("0")),
        (None, True, Decimal("0")),
        (["1", "2"], True, Decimal("0")),  # bank option ids are not keys of this paper
    ],
)
def test_multiple_choice(value, partial, expected):
    assert fraction(entry=MULTI, answer_key=[1, 2], value=value, partial_credit=partial) == expected


def test_single_and_true_false_are_exact():
    assert fraction(entry=SINGLE, answer_key=[2], value=["ky"], partial_credit=True) == Decimal("1")
    assert fraction(entry=SINGLE, answer_key=[2], value=["kx"], partial_credit=True) == Decimal("0")
    assert fraction(entry=JUDGE, answer_key=False, value=False, partial_credit=False) == Decimal("1")
    assert fraction(entry=JUDGE, answer_key=False, value=True, partial_credit=False) == Decimal("0")
    assert fraction(entry=JUDGE, answer_key=False, value=0, partial_credit=False) == Decimal("0")


def test_grade_adds_points_and_compares_the_percentage_with_the_pass_mark():
    paper = {"questions": [MULTI, SINGLE, JUDGE]}

    score, max_score, percent, passed, marks = grade(
        paper=paper,
        answers={1: ["ka"], 2: ["ky"], 3: True},
        keys={11: [1, 2], 12: [2], 13: False},
        partial_credit=True,
        pass_mark=Decimal("60"),
    )

    assert (score, max_score, percent, passed) == (Decimal("4.00"), Decimal("7"), Decimal("57.14"), False)
    assert marks == {"1": "0.5000", "2": "1", "3": "0"}
