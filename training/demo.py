"""Demo data for the training app: 金湖街道办事处, its departments and about 60 people.

Idempotent: running it again finds what exists and creates nothing twice.
"""

from __future__ import annotations

import random
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Category, Department, Person
from .roles import ADMIN, HR

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


def _people_spec() -> list[tuple[str, str, str, str, bool, str]]:
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
    return accounts
