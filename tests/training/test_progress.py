"""Progress: required, earned, expected by the day, on pace, days; pro-rating for joiners and leavers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.training.factories import DepartmentFactory, PersonFactory
from training.models import RequirementRule
from training.selectors import department_rollup, people_behind_pace, progress, progress_for_people
from training.services.ledger import credit_hours
from training.services.policy import ensure_policy

D = Decimal


def rule(prog, code):
    return next(r for r in prog.rules if r.code == code)


@pytest.mark.django_db
def test_default_policy_has_the_two_rules_and_targets():
    policy = ensure_policy(year=2026)
    assert (policy.hours_per_day, policy.central_group_target, policy.thematic_training_target) == (D("7.5"), 8, 6)
    assert list(policy.rules.values_list("code", "applies_to", "required_hours", "categories")) == [
        ("annual", "everyone", D("90.0"), []),
        ("enforcement_legal", "enforcement_officers", D("60.0"), ["general_law", "specialised_law", "new_laws"]),
    ]


@pytest.mark.django_db
def test_policy_is_copied_forward_with_edits():
    policy = ensure_policy(year=2026)
    policy.rules.filter(code="annual").update(required_hours=D("96"))
    ensure_policy(year=2027)
    assert RequirementRule.objects.get(policy__year=2027, code="annual").required_hours == D("96.0")


@pytest.mark.django_db
def test_progress_for_an_enforcement_officer_on_1_june():
    person = PersonFactory(is_enforcement_officer=True, joined_on=date(2015, 1, 1))
    credit_hours(person=person, year=2026, category="general_law", hours=D("30"), source="attendance")
    credit_hours(person=person, year=2026, category="other", hours=D("15"), source="attendance")

    prog = progress(person=person, year=2026, as_of=date(2026, 6, 1))  # day 152 of 365

    annual = rule(prog, "annual")
    assert annual.required_hours == D("90.0")
    assert annual.earned_hours == D("45.0")
    assert annual.earned_days == D("6.00")
    assert annual.remaining_hours == D("45.0")
    assert annual.expected_hours == D("37.5")  # 90 × 152 / 365 = 37.479 → 37.5
    assert annual.on_pace is True
    legal = rule(prog, "enforcement_legal")
    assert legal.earned_hours == D("30.0")
    assert legal.expected_hours == D("25.0")  # 60 × 152 / 365 = 24.986 → 25.0
    assert legal.on_pace is True
    assert legal.by_category == {"general_law": D("30.0"), "specialised_law": D("0.0"), "new_laws": D("0.0")}
    assert prog.standing == "on_pace"


@pytest.mark.django_db
def test_non_enforcement_staff_have_only_the_annual_rule():
    person = PersonFactory(is_enforcement_officer=False)
    prog = progress(person=person, year=2026, as_of=date(2026, 1, 1))
    assert [r.code for r in prog.rules] == ["annual"]
    assert rule(prog, "annual").expected_hours == D("0.2")  # 90 × 1 / 365 = 0.246 → 0.2
    assert prog.standing == "behind"


@pytest.mark.django_db
def test_joiner_owes_the_share_of_the_year_on_staff():
    person = PersonFactory(joined_on=date(2026, 7, 1))  # 184 days of 365
    prog = progress(person=person, year=2026, as_of=date(2026, 9, 30))  # 92 days on staff
    annual = rule(prog, "annual")
    assert annual.required_hours == D("45.5")  # 90 × 184 / 365 = 45.37 → 45.5
    assert annual.expected_hours == D("22.7")  # 90 × 92 / 365 = 22.68 → 22.7
    before = progress(person=person, year=2026, as_of=date(2026, 6, 30))
    assert rule(before, "annual").expected_hours == D("0.0")


@pytest.mark.django_db
def test_leaver_owes_the_share_up_to_leaving():
    person = PersonFactory(joined_on=date(2010, 1, 1), left_on=date(2026, 3, 31), is_active=False)  # 90 days
    prog = progress(person=person, year=2026, as_of=date(2026, 12, 31))
    annual = rule(prog, "annual")
    assert annual.required_hours == D("22.0")  # 90 × 90 / 365 = 22.19 → 22.0
    assert annual.expected_hours == D("22.0")  # 22.2, never above what is owed


@pytest.mark.django_db
def test_done_when_every_rule_is_met():
    person = PersonFactory(is_enforcement_officer=True)
    credit_hours(person=person, year=2026, category="specialised_law", hours=D("60"), source="attendance")
    credit_hours(person=person, year=2026, category="other", hours=D("30"), source="attendance")
    prog = progress(person=person, year=2026, as_of=date(2026, 12, 31))
    assert prog.done is True
    assert rule(prog, "annual").remaining_hours == D("0.0")


@pytest.mark.django_db
def test_progress_for_people_runs_a_fixed_number_of_queries(count_queries):
    ensure_policy(year=2026)
    few = [PersonFactory() for _ in range(2)]
    for p in few:
        credit_hours(person=p, year=2026, category="other", hours=D("1"), source="attendance")
    small = count_queries(progress_for_people, people=type(few[0]).objects.all(), year=2026)
    for _ in range(20):
        credit_hours(person=PersonFactory(), year=2026, category="other", hours=D("1"), source="attendance")
    large = count_queries(progress_for_people, people=type(few[0]).objects.all(), year=2026)
    assert small == large == 4


@pytest.mark.django_db
def test_department_rollup_counts_done_on_pace_behind_over_subtrees():
    root = DepartmentFactory()
    child = DepartmentFactory(parent=root)
    other = DepartmentFactory(parent=root)
    done = PersonFactory(department=child)
    paced = PersonFactory(department=child)
    behind = PersonFactory(department=other)
    joiner = PersonFactory(department=other, joined_on=date(2026, 11, 1))  # owes 61/365 of 90 = 15.0
    credit_hours(person=done, year=2026, category="other", hours=D("90"), source="attendance")
    credit_hours(person=paced, year=2026, category="other", hours=D("50"), source="attendance")
    credit_hours(person=behind, year=2026, category="other", hours=D("10"), source="attendance")
    credit_hours(person=joiner, year=2026, category="other", hours=D("15"), source="attendance")
    as_of = date(2026, 6, 30)  # expected 90 × 181/365 = 44.6

    rows = department_rollup(department_ids=[root.pk, child.pk, other.pk], year=2026, as_of=as_of)

    assert [(r["department_id"], r["people"], r["done"], r["on_pace"], r["behind"]) for r in rows] == [
        (root.pk, 4, 2, 1, 1),
        (child.pk, 2, 1, 1, 0),
        (other.pk, 2, 1, 0, 1),
    ]
    assert sorted(people_behind_pace(year=2026, as_of=as_of)) == [behind.pk]


@pytest.mark.django_db
def test_departments_endpoint_rolls_up_the_callers_scope(world):
    from django.urls import reverse

    credit_hours(person=world.officer, year=2026, category="general_law", hours=D("90"), source="attendance")
    credit_hours(person=world.officer, year=2026, category="other", hours=D("1"), source="attendance")

    body = world.client("hr_here").get(reverse("api:department-rollup"), {"year": 2026}).json()

    assert body["year"] == 2026
    assert [(r["department_id"], r["people"], r["done"]) for r in body["results"]] == [(world.here.pk, 3, 1)]
    everything = world.client("admin").get(reverse("api:department-rollup"), {"year": 2026}).json()["results"]
    assert [(r["department_id"], r["parent_id"], r["people"]) for r in everything] == [
        (world.root.pk, None, 5),
        (world.here.pk, world.root.pk, 3),
        (world.elsewhere.pk, world.root.pk, 1),
    ]
