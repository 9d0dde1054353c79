"""Drawing a paper: what a start keeps of the bank in the process follows the bank's edits."""

from __future__ import annotations

import dataclasses

from quizzes.models import QuestionType
from quizzes.services import start_attempt
from quizzes.services.bank import data_of, update_question

from .factories import make_question, make_quiz


def test_a_start_after_an_edit_shows_the_new_version_and_earlier_papers_keep_theirs(
    world, django_capture_on_commit_callbacks
):
    question = make_question(type=QuestionType.SINGLE, stem="旧题干", options=["甲", "乙"])
    quiz = make_quiz(sections=[(QuestionType.SINGLE, 1, "100")])
    first, _ = start_attempt(person=world.officer, quiz=quiz)
    question.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        update_question(
            question=question,
            data=dataclasses.replace(data_of(question), stem="新题干", options=["丙", "丁"]),
            actor=world.admin.user,
        )
    second, _ = start_attempt(person=world.other_officer, quiz=quiz)

    question.refresh_from_db()
    first_entry, second_entry = first.paper["questions"][0], second.paper["questions"][0]
    assert (first_entry["stem"], sorted(o["text"] for o in first_entry["options"])) == ("旧题干", ["乙", "甲"])
    assert (second_entry["stem"], sorted(o["text"] for o in second_entry["options"])) == ("新题干", ["丁", "丙"])
    assert second_entry["version_id"] == question.current_id != first_entry["version_id"]


def test_every_option_of_a_paper_has_its_own_opaque_key(world):
    for stem in ("一", "二", "三"):
        make_question(type=QuestionType.MULTIPLE, stem=stem, answer=[1, 2])
    quiz = make_quiz(sections=[(QuestionType.MULTIPLE, 3, "10")])

    attempt, _ = start_attempt(person=world.officer, quiz=quiz)

    keys = [o["key"] for q in attempt.paper["questions"] for o in q["options"]]
    assert len(keys) == 12
    assert len(set(keys)) == 12
    assert all(len(k) == 9 and k.startswith("k") for k in keys)
    assert [sorted(q["keys"].values()) for q in attempt.paper["questions"]] == [[1, 2, 3, 4]] * 3
