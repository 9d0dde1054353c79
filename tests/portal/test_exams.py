"""The exam pages: the list, starting through quizzes' service, the result as the review policy allows."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt
from quizzes.services import save_answer, submit_attempt
from tests.portal.factories import certification_exam


def _start(world, quiz):
    client = world.client("officer")
    response = client.post(reverse("portal:exam-start", kwargs={"quiz_id": quiz.pk}))
    return client, response


def test_the_list_offers_the_exam_and_starting_opens_the_attempt_page(world):
    quiz = certification_exam()
    client = world.client("officer")

    page = client.get(reverse("portal:exams")).content.decode()
    response = client.post(reverse("portal:exam-start", kwargs={"quiz_id": quiz.pk}))

    assert quiz.title in page
    attempt = Attempt.objects.get(person=world.officer, quiz=quiz)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:attempt", kwargs={"attempt_id": attempt.pk})


def test_starting_twice_resumes_the_same_attempt(world):
    quiz = certification_exam()
    client, first = _start(world, quiz)

    second = client.post(reverse("portal:exam-start", kwargs={"quiz_id": quiz.pk}))

    assert Attempt.objects.filter(person=world.officer, quiz=quiz).count() == 1
    assert first["Location"] == second["Location"]


def test_the_attempt_page_carries_no_answer_key(world):
    quiz = certification_exam()
    client, response = _start(world, quiz)

    page = client.get(response["Location"]).content.decode()

    assert "记功是奖励" not in page
    assert "第九条" not in page
    assert '"keys"' not in page


def test_another_persons_attempt_is_not_found(world):
    quiz = certification_exam()
    _start(world, quiz)
    attempt = Attempt.objects.get(person=world.officer)

    for role in ("other_officer", "hr_here", "admin"):
        client = world.client(role)
        assert client.get(reverse("portal:attempt", kwargs={"attempt_id": attempt.pk})).status_code == 404
        assert client.get(reverse("portal:attempt-result", kwargs={"attempt_id": attempt.pk})).status_code == 404


def test_a_certification_result_shows_the_score_but_never_correctness(world):
    quiz = certification_exam()
    _client, _response = _start(world, quiz)
    attempt = Attempt.objects.get(person=world.officer)
    for n, entry in enumerate(attempt.paper["questions"], start=1):
        value = True if entry["type"] == "true_false" else [entry["options"][2]["key"]]
        save_answer(attempt=attempt, person=world.officer, question_id=entry["question_id"], value=value, seq=n)
    submit_attempt(attempt=attempt, person=world.officer)

    page = world.client("officer").get(reverse("portal:attempt-result", kwargs={"attempt_id": attempt.pk}))

    html = page.content.decode()
    attempt.refresh_from_db()
    assert attempt.score == Decimal("4.00")
    assert 'id="verdict">合格' in html
    assert "正确答案" not in html
    assert "记功是奖励" not in html


def test_an_assessment_result_shows_the_review(world):
    quiz = certification_exam(kind="assessment", title="平时考核")
    _client, _response = _start(world, quiz)
    attempt = Attempt.objects.get(person=world.officer)
    submit_attempt(attempt=attempt, person=world.officer)

    html = (
        world.client("officer")
        .get(reverse("portal:attempt-result", kwargs={"attempt_id": attempt.pk}))
        .content.decode()
    )

    assert "记功是奖励" in html
    assert 'id="verdict">不合格' in html


def test_starting_a_closed_exam_is_refused_with_the_rules_message_and_creates_nothing(world):
    quiz = certification_exam()
    quiz.closes_at = timezone.now() - timedelta(minutes=1)
    quiz.save(update_fields=["closes_at"])
    client = world.client("officer")

    response = client.post(reverse("portal:exam-start", kwargs={"quiz_id": quiz.pk}), follow=True)

    assert response.redirect_chain == [(reverse("portal:exams"), 302)]
    assert "考试已结束" in response.content.decode()
    assert Attempt.objects.count() == 0
