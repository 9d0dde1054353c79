"""The officer's home page: progress per rule, upcoming sessions, open exams, unread reminders."""

from datetime import timedelta

from django.urls import reverse

from notifications.services import notify
from quizzes.services import start_attempt
from tests.portal.factories import certification_exam, session_now


def test_home_shows_progress_sessions_exams_and_reminders(world):
    soon = session_now(departments=[world.here], title="民法典专题培训", starts_in=timedelta(days=2))
    quiz = certification_exam(title="2026 年执法资格考试")
    notify(recipient=world.officer.user, kind="session_reminder", title="明天有培训")

    response = world.client("officer").get(reverse("portal:home"))

    html = response.content.decode()
    assert [rule.code for rule in response.context["progress"].rules] == ["annual", "enforcement_legal"]
    assert [s.pk for s in response.context["upcoming"]] == [soon.pk]
    assert [o.quiz.pk for o in response.context["exams"]] == [quiz.pk]
    assert response.context["unread"] == 1
    assert "民法典专题培训" in html
    assert "2026 年执法资格考试" in html
    assert "明天有培训" in html
    # a session two days away cannot be checked in to yet
    assert reverse("portal:check-in", kwargs={"session_id": soon.pk}) not in html


def test_an_open_attempt_is_offered_to_resume(world):
    quiz = certification_exam()
    attempt, _created = start_attempt(person=world.officer, quiz=quiz)

    html = world.client("officer").get(reverse("portal:home")).content.decode()

    assert reverse("portal:attempt", kwargs={"attempt_id": attempt.pk}) in html


def test_home_for_a_user_without_a_staff_record(db, client, django_user_model):
    django_user_model.objects.create_superuser(username="root", password="pw-for-tests-1")
    client.login(username="root", password="pw-for-tests-1")

    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    assert "progress" not in response.context


def test_a_session_on_now_is_offered_for_check_in(world):
    running = session_now(departments=[world.here], title="行政复议法专题")

    response = world.client("officer").get(reverse("portal:home"))

    assert [s.pk for s in response.context["checkable"]] == [running.pk]
    assert reverse("portal:check-in", kwargs={"session_id": running.pk}) in response.content.decode()
