"""Demo data for the training app: 金湖街道办事处, its departments and about 60 people.

Idempotent: running it again finds what exists and creates nothing twice.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .models import (
    AttendanceStatus,
    Category,
    ContentCategory,
    Department,
    Person,
    SessionKind,
    SessionStatus,
    TrainingSession,
)
from .roles import ADMIN, HR
from .services.policy import ensure_policy
from .services.sessions import AudienceSpec, schedule_series, schedule_session

DEPARTMENTS = [
    ("JH", "金湖街道办事处", None),
    ("JH-ZHZF", "综合执法中心", "JH"),
    ("JH-ZHZF-1", "综合执法一中队", "JH-ZHZF"),
    ("JH-ZHZF-2", "综合执法二中队", "JH-ZHZF"),
    ("JH-SCJG", "市场监管所", "JH"),
    ("JH-DZB", "党政办", "JH"),
    ("JH-SHSW", "社会事务办", "JH"),
    ("JH-PCS", "派出所联络组", "JH"),
    ("JH-GHJS", "规划建设办", "JH"),
    ("JH-SFS", "司法所", "JH"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "志强",
    "海燕",
    "晓东",
    "文博",
    "雅琴",
    "俊杰",
    "思远",
    "一鸣",
    "子涵",
]

# staff number, name, department code, category, enforcement officer, domain, username, roles, scope
ACCOUNTS = [
    ("JH0001", "李明华", "JH-ZHZF-1", Category.CIVIL_SERVANT, True, "城市管理", "demo-officer", [], None),
    ("JH0002", "王秀兰", "JH-DZB", Category.CIVIL_SERVANT, False, "", "demo-hr", [HR], None),
    ("JH0003", "陈建国", "JH-SFS", Category.CIVIL_SERVANT, False, "", "demo-admin", [ADMIN], None),
]


def _layout() -> dict[str, Department]:
    by_code: dict[str, Department] = {}
    for order, (code, name, parent_code) in enumerate(DEPARTMENTS):
        department, _ = Department.objects.get_or_create(
            code=code,
            defaults={"name": name, "parent": by_code.get(parent_code) if parent_code else None, "sort_order": order},
        )
        by_code[code] = department
    return by_code


def _people_spec() -> list[tuple[str, str, str, Category, bool, str]]:
    """About 60 people across the departments, every category present, reproducibly."""
    rng = random.Random(20231204)
    layout = [
        ("JH", 4, Category.LEADING_CADRE, False, ""),
        ("JH-ZHZF-1", 9, Category.CIVIL_SERVANT, True, "城市管理"),
        ("JH-ZHZF-1", 4, Category.AUXILIARY, False, ""),
        ("JH-ZHZF-2", 8, Category.INSTITUTION_STAFF, True, "城市管理"),
        ("JH-ZHZF-2", 4, Category.AUXILIARY, False, ""),
        ("JH-SCJG", 8, Category.CIVIL_SERVANT, True, "市场监管"),
        ("JH-DZB", 5, Category.CIVIL_SERVANT, False, ""),
        ("JH-SHSW", 5, Category.INSTITUTION_STAFF, False, ""),
        ("JH-PCS", 3, Category.CIVIL_SERVANT, False, ""),
        ("JH-GHJS", 4, Category.CIVIL_SERVANT, True, "规划建设"),
        ("JH-SFS", 3, Category.CIVIL_SERVANT, False, ""),
    ]
    spec = []
    number = 100
    seen: set[str] = set()
    for code, count, category, enforcement, domain in layout:
        for _ in range(count):
            while True:
                name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                if name not in seen:
                    seen.add(name)
                    break
            number += 1
            spec.append((f"JH{number:04d}", name, code, category, enforcement, domain))
    return spec


@transaction.atomic
def seed(*, password: str | None = None) -> dict[str, Person]:
    """Create the demo organisation; returns the demo accounts' people by username."""
    password = password or settings.DEMO_PASSWORD
    departments = _layout()
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (HR, ADMIN)}
    user_model = get_user_model()
    accounts: dict[str, Person] = {}
    for staff_number, name, code, category, enforcement, domain, username, roles, scope in ACCOUNTS:
        user, created = user_model.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.is_staff = ADMIN in roles
            user.save()
            for role in roles:
                user.groups.add(groups[role])
            if ADMIN in roles:
                from django.contrib.auth.models import Permission

                user.user_permissions.set(Permission.objects.all())
        person, _ = Person.objects.get_or_create(
            staff_number=staff_number,
            defaults={
                "user": user,
                "name": name,
                "department": departments[code],
                "category": category,
                "is_enforcement_officer": enforcement,
                "enforcement_domain": domain,
                "joined_on": date(2015, 7, 1),
                "scope_department": departments[scope] if scope else None,
            },
        )
        accounts[username] = person
    for staff_number, name, code, category, enforcement, domain in _people_spec():
        if Person.objects.filter(staff_number=staff_number).exists():
            continue
        user = user_model.objects.create(username=staff_number.lower())
        user.set_password(password)
        user.save(update_fields=["password"])
        Person.objects.create(
            user=user,
            staff_number=staff_number,
            name=name,
            department=departments[code],
            category=category,
            is_enforcement_officer=enforcement,
            enforcement_domain=domain,
            phone=f"1390000{staff_number[-4:]}",
            joined_on=date(2016 + int(staff_number[-2:]) % 8, 3, 1),
        )
    seed_sessions(departments=departments, accounts=accounts)
    return accounts


# --- a year of sessions and attendance -------------------------------------------------------------

SH = ZoneInfo("Asia/Shanghai")
CENTRAL_GROUP = "党委中心组集体学法"


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


def _calendar(year: int) -> list[dict]:
    """The year's single sessions (the central group's series is made separately)."""
    legal = [ContentCategory.GENERAL_LAW, ContentCategory.SPECIALISED_LAW, ContentCategory.NEW_LAWS]
    thematic = ["民法典", "行政处罚法", "行政复议法（2023修订）", "行政许可法", "行政强制法", "国家赔偿法"]
    out = []
    for i, (month, topic) in enumerate(zip((2, 4, 6, 8, 10, 12), thematic, strict=True)):
        out.append(
            {
                "title": f"法治专题培训：{topic}",
                "kind": SessionKind.THEMATIC_LEGAL_TRAINING,
                "content_category": legal[i % 2 * 2],
                "starts_at": _at(year, month, 20, 9),
                "ends_at": _at(year, month, 20, 17),
                "credited_hours": Decimal("7.5"),
                "place": "街道办三楼大会议室",
                "audience": AudienceSpec(),
            }
        )
    for month in range(1, 13):
        out.append(
            {
                "title": f"{month}月学法讲堂",
                "kind": SessionKind.REFRESHER,
                "content_category": legal[month % 3],
                "starts_at": _at(year, month, 8, 9),
                "ends_at": _at(year, month, 8, 17),
                "credited_hours": Decimal("7.5"),
                "place": "街道办三楼大会议室",
                "online_url": "https://meeting.example.cn/xuefa",
                "audience": AudienceSpec(),
            }
        )
    for i, (month, topic) in enumerate(
        [
            (3, "执法程序与文书规范"),
            (5, "城市管理专门法规"),
            (7, "新法速递：行政复议法"),
            (9, "执法证据与听证"),
            (11, "市场监管专门法规"),
            (12, "新法速递：年度新法"),
        ]
    ):
        out.append(
            {
                "title": f"行政执法人员培训：{topic}",
                "kind": SessionKind.ENFORCEMENT_TRAINING,
                "content_category": legal[i % 3],
                "starts_at": _at(year, month, 25, 9),
                "ends_at": _at(year, month, 25, 17),
                "credited_hours": Decimal("7.5"),
                "place": "综合执法中心培训室",
                "audience": AudienceSpec(enforcement_only=True),
            }
        )
    out += [
        {
            "title": "新录用人员初任培训（法律知识）",
            "kind": SessionKind.ONBOARDING,
            "content_category": ContentCategory.GENERAL_LAW,
            "starts_at": _at(year, 3, 12, 9),
            "ends_at": _at(year, 3, 12, 17),
            "credited_hours": Decimal("7.5"),
            "place": "区委党校",
            "audience": AudienceSpec(),
        },
        {
            "title": "在职人员知识更新培训",
            "kind": SessionKind.REFRESHER,
            "content_category": ContentCategory.OTHER,
            "starts_at": _at(year, 9, 16, 14),
            "ends_at": _at(year, 9, 16, 17),
            "credited_hours": Decimal("3.0"),
            "place": "街道办三楼大会议室",
            "audience": AudienceSpec(),
        },
        {
            "title": "12·4 国家宪法日宣传活动",
            "kind": SessionKind.CONSTITUTION_DAY,
            "content_category": ContentCategory.GENERAL_LAW,
            "starts_at": _at(year, 12, 4, 9),
            "ends_at": _at(year, 12, 4, 11),
            "credited_hours": Decimal("2.0"),
            "place": "金湖广场",
            "audience": AudienceSpec(),
        },
    ]
    return out


def seed_sessions(*, departments: dict[str, Department], accounts: dict[str, Person]) -> None:
    """A year of sessions for this year, attendance for those already over, and one for demo-officer soon.

    Idempotent: sessions are found by title and start; a session that has attendance gets none added.
    """
    now = timezone.now()
    year = timezone.localdate().year
    ensure_policy(year=year)
    if not TrainingSession.objects.filter(title=CENTRAL_GROUP, starts_at__year=year).exists():
        schedule_series(
            actor=None,
            recurrence="FREQ=MONTHLY;BYMONTHDAY=15;COUNT=10",
            exceptions=[date(year, 2, 15), date(year, 8, 15)],
            starts_at=_at(year, 1, 15, 14, 30),
            ends_at=_at(year, 1, 15, 17, 30),
            audience=AudienceSpec(categories=[Category.LEADING_CADRE], people=[accounts["demo-admin"].pk]),
            title=CENTRAL_GROUP,
            kind=SessionKind.CENTRAL_GROUP_STUDY,
            content_category=ContentCategory.GENERAL_LAW,
            credited_hours=Decimal("3.0"),
            place="党委会议室",
        )
    for spec in _calendar(year):
        if not TrainingSession.objects.filter(title=spec["title"], starts_at=spec["starts_at"]).exists():
            schedule_session(actor=None, **spec)
    soon = TrainingSession.objects.filter(
        status=SessionStatus.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=2),
        audience__people=accounts["demo-officer"],
    )
    if not soon.exists():
        start = (now + timedelta(hours=1)).replace(second=0, microsecond=0)
        schedule_session(
            actor=None,
            title="执法记录仪使用与证据固定（演示）",
            kind=SessionKind.ENFORCEMENT_TRAINING,
            content_category=ContentCategory.SPECIALISED_LAW,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            credited_hours=Decimal("2.0"),
            place="综合执法中心培训室",
            audience=AudienceSpec(departments=[departments["JH-ZHZF-1"].pk], people=[accounts["demo-officer"].pk]),
        )
    _seed_attendance(year=year, now=now)


def _seed_attendance(*, year: int, now: datetime) -> None:
    """Attendance for the sessions already over: a third of the people come to everything (done),
    a third to most (on pace or close), a third to few (behind) — the same people every run."""
    from .selectors import audience_members
    from .services.attendance import edit_attendance

    start = _at(year, 1, 1, 0)
    over = TrainingSession.objects.filter(starts_at__gte=start, ends_at__lt=now, status=SessionStatus.SCHEDULED)
    for session in over.select_related("audience").order_by("starts_at"):
        if session.attendances.exists():
            continue
        rng = random.Random(f"{session.title}{session.starts_at.isoformat()}")
        for person in audience_members(session.audience).order_by("staff_number"):
            tier = int(person.staff_number[-1]) % 3  # 0: done, 1: on pace, 2: behind
            chance = (1.0, 0.64, 0.35)[tier]
            if rng.random() < chance:
                edit_attendance(session=session, person=person, actor=None, status=AttendanceStatus.ATTENDED)
            elif rng.random() < 0.5:
                edit_attendance(
                    session=session, person=person, actor=None, status=AttendanceStatus.EXCUSED, reason="公务外出"
                )
            else:
                edit_attendance(session=session, person=person, actor=None, status=AttendanceStatus.ABSENT)
        session.status = SessionStatus.HELD
        session.save(update_fields=["status"])
