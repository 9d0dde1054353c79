"""Question texts with control characters are refused, so every export can hold the bank."""

import pytest

from quizzes.models import Question

pytestmark = pytest.mark.django_db


def test_a_stem_with_a_control_character_is_refused_and_nothing_is_created(world):
    body = {"type": "true_false", "stem": "行政处罚\x1b法", "answer": True}
    response = world.client("admin").post("/api/v1/questions/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert response.json()["detail"] == {"question": ["含有不可见的控制字符"]}
    assert Question.objects.count() == 0


def test_the_same_stem_without_it_is_created(world):
    body = {"type": "true_false", "stem": "行政处罚法", "answer": True}
    assert world.client("admin").post("/api/v1/questions/", body, format="json").status_code == 201
    assert Question.objects.count() == 1


def test_an_option_with_a_control_character_is_refused(world):
    body = {"type": "single", "stem": "题干", "options": ["甲", "乙\x07"], "answer": "A"}
    response = world.client("admin").post("/api/v1/questions/", body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == {"question": ["含有不可见的控制字符"]}
    assert Question.objects.count() == 0
