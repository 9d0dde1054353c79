"""People: import from xlsx (checked whole), transfers, leavers (DESIGN.md, Person; issue item 1)."""

from __future__ import annotations

import io
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.errors import InvalidInput
from audit.services import record

from ..errors import ImportInvalid, PersonInactive
from ..models import Category, Department, Person

CATEGORY_WORDS = {**{str(c.label): c.value for c in Category}, **{c.value: c.value for c in Category}}
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0", ""}
DEPARTMENT_COLUMNS = ["编码", "名称", "上级编码"]
PEOPLE_COLUMNS = ["工号", "姓名", "部门编码", "类别", "执法人员", "执法领域", "手机", "入职日期"]


@transaction.atomic
def transfer_person(*, person: Person, department: Department, actor) -> Person:
    """Move a person to another department: their hours stay with them, HR scope follows the department."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.department_id == department.pk:
        return person
    before = {"department_id": person.department_id}
    person.department = department
    person.save(update_fields=["department"])
    record(
        actor=actor,
        action="training.person.transfer",
        target=person,
        before=before,
        after={"department_id": department.pk},
    )
    return person


@transaction.atomic
def deactivate_person(*, person: Person, actor, left_on: date, reason: str = "") -> Person:
    """A leaver: inactive from ``left_on``; owes only the share of the year up to then.

    The credential is surrendered by the quizzes app's own service, which its
    callers invoke beside this one (no signal carries business rules).
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.is_active:
        raise PersonInactive()
    if person.joined_on and left_on < person.joined_on:
        raise InvalidInput(_("离职日期不能早于入职日期。"))
    before = {"is_active": True, "left_on": None}
    person.is_active = False
    person.left_on = left_on
    person.save(update_fields=["is_active", "left_on"])
    record(
        actor=actor,
        action="training.person.deactivate",
        target=person,
        before=before,
        after={"is_active": False, "left_on": left_on.isoformat()},
        reason=reason,
    )
    return person


def _sheet_rows(book, names: tuple[str, ...]) -> list[list[str]] | None:
    from .attendance import _cell

    for name in names:
        if name in book.sheetnames:
            return [[_cell(v) for v in row] for row in book[name].iter_rows(values_only=True) if any(row)]
    return None


def _date(value: str) -> date | None:
    if not value:
        return None
    text = value[:10]
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError(value)


@transaction.atomic
def import_people(*, actor, content: bytes, filename: str = "people.xlsx") -> dict:
    """Departments and people from an xlsx (sheets 部门 and 人员), checked whole.

    One bad row imports nothing; the answer names every bad row and why
    (``import_invalid``, ``detail.errors = [{"sheet", "line", "message"}]``).
    Existing departments (by 编码) and people (by 工号) are updated; a person
    whose department changes is transferred. New people get an account named
    after the staff number with no usable password until HR sets one.
    """
    from openpyxl import load_workbook

    if not filename.lower().endswith(".xlsx"):
        raise ImportInvalid(detail={"errors": [{"sheet": "", "line": 0, "message": _("只接受 xlsx 文件。")}]})
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a broken file raises many kinds
        raise ImportInvalid(
            detail={"errors": [{"sheet": "", "line": 0, "message": _("无法读取 xlsx 文件。")}]}
        ) from exc
    dept_rows = _sheet_rows(book, ("部门", "departments")) or []
    people_rows = _sheet_rows(book, ("人员", "people"))
    errors: list[dict] = []
    if people_rows is None:
        raise ImportInvalid(detail={"errors": [{"sheet": "人员", "line": 0, "message": _("缺少“人员”工作表。")}]})

    def err(sheet: str, line: int, message: str) -> None:
        errors.append({"sheet": sheet, "line": line, "message": message})

    existing_depts = {d.code: d for d in Department.objects.exclude(code__isnull=True)}
    new_depts: dict[str, tuple[str, str]] = {}
    if dept_rows:
        if dept_rows[0][:3] != DEPARTMENT_COLUMNS[: len(dept_rows[0][:3])] or len(dept_rows[0]) < 2:
            err("部门", 1, _("表头须为：编码, 名称, 上级编码"))
        else:
            for line, row in enumerate(dept_rows[1:], start=2):
                code, name, parent = ([*row, "", ""])[:3]
                if not code or not name:
                    err("部门", line, _("编码和名称必填"))
                elif code in new_depts:
                    err("部门", line, _("编码重复：%(c)s") % {"c": code})
                else:
                    new_depts[code] = (name, parent)
            for line, (_name, parent) in enumerate(new_depts.values(), start=2):
                if parent and parent not in new_depts and parent not in existing_depts:
                    err("部门", line, _("上级编码不存在：%(c)s") % {"c": parent})
    known_codes = set(existing_depts) | set(new_depts)
    header = people_rows[0] if people_rows else []
    plan = []
    if [c for c in header if c][:3] != PEOPLE_COLUMNS[:3]:
        err("人员", 1, _("表头须以 工号, 姓名, 部门编码 开头"))
    else:
        seen: set[str] = set()
        for line, row in enumerate(people_rows[1:], start=2):
            cells = dict(zip(PEOPLE_COLUMNS, [*row, *[""] * len(PEOPLE_COLUMNS)], strict=False))
            problems = []
            number = cells["工号"]
            if not number or not cells["姓名"]:
                problems.append(_("工号和姓名必填"))
            if number in seen:
                problems.append(_("工号重复"))
            seen.add(number)
            if cells["部门编码"] not in known_codes:
                problems.append(_("部门编码不存在：%(c)s") % {"c": cells["部门编码"]})
            category = CATEGORY_WORDS.get(cells["类别"] or "civil_servant")
            if category is None:
                problems.append(_("类别无效：%(c)s") % {"c": cells["类别"]})
            flag = cells["执法人员"].lower()
            if flag not in YES and flag not in NO:
                problems.append(_("执法人员须为 是/否"))
            try:
                joined = _date(cells["入职日期"])
            except ValueError:
                problems.append(_("入职日期无效：%(d)s") % {"d": cells["入职日期"]})
                joined = None
            if flag in YES and category == Category.AUXILIARY:
                problems.append(_("辅助人员不能是执法人员"))
            if problems:
                err("人员", line, "；".join(problems))
            else:
                plan.append((number, cells, category, flag in YES, joined))
    if errors:
        raise ImportInvalid(detail={"errors": errors})

    departments = dict(existing_depts)
    created_depts = 0
    pending = dict(new_depts)
    while pending:
        progressed = False
        for code, (name, parent) in list(pending.items()):
            if parent and parent not in departments:
                continue
            dept = departments.get(code)
            if dept is None:
                dept = Department.objects.create(code=code, name=name, parent=departments.get(parent))
                created_depts += 1
            elif dept.name != name or (parent and dept.parent_id != departments[parent].pk):
                dept.name = name
                dept.parent = departments.get(parent) if parent else dept.parent
                dept.save()
            departments[code] = dept
            del pending[code]
            progressed = True
        if not progressed:
            raise ImportInvalid(detail={"errors": [{"sheet": "部门", "line": 0, "message": _("上级关系成环。")}]})
    user_model = get_user_model()
    existing = {p.staff_number: p for p in Person.objects.filter(staff_number__in=[p[0] for p in plan])}
    created = updated = 0
    for number, cells, category, enforcement, joined in plan:
        dept = departments[cells["部门编码"]]
        person = existing.get(number)
        values = {
            "name": cells["姓名"],
            "category": category,
            "is_enforcement_officer": enforcement,
            "enforcement_domain": cells["执法领域"],
            "phone": cells["手机"],
        }
        if person is None:
            username = number.lower()
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model(username=username)
                user.set_unusable_password()
                user.save()
            Person.objects.create(
                user=user if not hasattr(user, "person") else None,
                staff_number=number,
                department=dept,
                joined_on=joined or timezone.localdate(),
                must_change_password=True,
                **values,
            )
            created += 1
        else:
            for key, value in values.items():
                setattr(person, key, value)
            if joined:
                person.joined_on = joined
            person.save()
            if person.department_id != dept.pk:
                transfer_person(person=person, department=dept, actor=actor)
            updated += 1
    result = {"departments_created": created_depts, "people_created": created, "people_updated": updated}
    record(actor=actor, action="training.people.import", target_type="training.person", after=result)
    return result
