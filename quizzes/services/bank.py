"""Writes of the question bank: create, edit (a new version once used), import, regrade."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record

from .. import cache as section_cache
from ..errors import invalid
from ..models import Question, QuestionStatus, QuestionType, QuestionVersion

MAX_OPTIONS = 6
LETTERS = "ABCDEF"
# Control characters (tab and line breaks allowed): no exam paper, xlsx cell or
# GIFT/XML export can hold them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class QuestionData:
    """A question as the API and the import formats read it: options as texts,
    the answer as 0-based option indexes (or a bool for true/false)."""

    type: str
    stem: str
    options: list[str] = field(default_factory=list)
    answer: list[int] | bool = field(default_factory=list)
    explanation: str = ""
    legal_basis: str = ""
    tags: list[str] = field(default_factory=list)
    category: str = ""
    difficulty: int = 3
    status: str = QuestionStatus.ACTIVE


def problems_of(data: QuestionData) -> list[str]:
    """Why a question cannot go into the bank (empty when it can)."""
    problems = []
    if data.type not in QuestionType.values:
        return [_("题型无效：%s") % data.type]
    if not data.stem.strip():
        problems.append(_("题干为空"))
    texts = [data.stem, data.explanation, data.legal_basis, data.category, *data.tags, *map(str, data.options)]
    if any(CONTROL_CHARACTERS.search(text or "") for text in texts):
        problems.append(_("含有不可见的控制字符"))
    if not isinstance(data.difficulty, int) or not 1 <= data.difficulty <= 5:
        problems.append(_("难度须为 1–5"))
    if data.status not in QuestionStatus.values:
        problems.append(_("状态无效"))
    if data.type == QuestionType.TRUE_FALSE:
        if not isinstance(data.answer, bool):
            problems.append(_("判断题答案须为 对 或 错"))
        if data.options:
            problems.append(_("判断题没有选项"))
        return problems
    options = [o for o in data.options if o is not None]
    if not 2 <= len(options) <= MAX_OPTIONS:
        problems.append(_("选项须为 2–6 个"))
    if any(not str(o).strip() for o in options):
        problems.append(_("选项不能为空"))
    answer = data.answer
    if not isinstance(answer, list) or not answer:
        problems.append(_("缺少答案"))
        return problems
    if any(not isinstance(i, int) or not 0 <= i < len(options) for i in answer):
        problems.append(_("答案不在选项中"))
    if len(set(answer)) != len(answer):
        problems.append(_("答案重复"))
    if data.type == QuestionType.SINGLE and len(answer) != 1:
        problems.append(_("单选题须有且只有一个答案"))
    if data.type == QuestionType.MULTIPLE and len(answer) < 2:
        problems.append(_("多选题至少两个答案"))
    return problems


def _content(data: QuestionData) -> dict:
    if data.type == QuestionType.TRUE_FALSE:
        options: list[dict] = []
        answer: object = bool(data.answer)
    else:
        options = [{"id": i + 1, "text": str(text).strip()} for i, text in enumerate(data.options)]
        answer = sorted(i + 1 for i in data.answer)  # type: ignore[union-attr]
    return {
        "stem": data.stem.strip(),
        "options": options,
        "answer": answer,
        "explanation": data.explanation.strip(),
        "legal_basis": data.legal_basis.strip(),
    }


def data_of(question: Question) -> QuestionData:
    """The editable form of a question (its current version)."""
    version = question.current
    assert version is not None
    if question.type == QuestionType.TRUE_FALSE:
        answer: list[int] | bool = bool(version.answer)
    else:
        ids = [o["id"] for o in version.options]
        answer = [ids.index(i) for i in version.answer if i in ids]
    return QuestionData(
        type=question.type,
        stem=version.stem,
        options=[o["text"] for o in version.options],
        answer=answer,
        explanation=version.explanation,
        legal_basis=version.legal_basis,
        tags=list(question.tags),
        category=question.category,
        difficulty=question.difficulty,
        status=question.status,
    )


def _check(data: QuestionData) -> None:
    problems = problems_of(data)
    if problems:
        raise invalid("validation_error", _("题目无效"), detail={"question": problems})


def _create(data: QuestionData) -> Question:
    question = Question.objects.create(
        type=data.type,
        category=data.category.strip(),
        tags=[t.strip() for t in data.tags if t and t.strip()],
        difficulty=data.difficulty,
        status=data.status,
    )
    version = QuestionVersion.objects.create(question=question, number=1, **_content(data))
    question.current = version
    question.save(update_fields=["current"])
    return question


@transaction.atomic
def create_question(*, data: QuestionData, actor) -> Question:
    """Add a question to the bank."""
    _check(data)
    question = _create(data)
    record(actor=actor, action="quizzes.question_created", target=question, after={"version": 1})
    section_cache.bank_changed()
    return question


@transaction.atomic
def update_question(*, question: Question, data: QuestionData, actor) -> Question:
    """Edit a question. A version a paper has shown is never changed: the edit
    makes a new version and old attempts keep what they showed (DESIGN.md, quizzes)."""
    _check(data)
    if data.type != question.type:
        raise invalid("validation_error", _("题型不能修改"), detail={"type": [_("题型不能修改")]})
    question = Question.objects.select_for_update(of=("self",)).select_related("current").get(pk=question.pk)
    before = {"version": question.current.number if question.current else None}
    content = _content(data)
    version = question.current
    changed = version is None or any(getattr(version, k) != v for k, v in content.items())
    if changed:
        from ..selectors.bank import version_is_used

        if version is not None and not version_is_used(version):
            for name, value in content.items():
                setattr(version, name, value)
            version.save(update_fields=list(content))
        else:
            number = (version.number + 1) if version else 1
            version = QuestionVersion.objects.create(question=question, number=number, **content)
    question.current = version
    question.category = data.category.strip()
    question.tags = [t.strip() for t in data.tags if t and t.strip()]
    question.difficulty = data.difficulty
    question.status = data.status
    question.save(update_fields=["current", "category", "tags", "difficulty", "status", "updated_at"])
    record(
        actor=actor,
        action="quizzes.question_updated",
        target=question,
        before=before,
        after={"version": version.number if version else None},
    )
    section_cache.bank_changed()
    return question


def import_questions(*, items: list[tuple[int, QuestionData]], errors: list[dict], dry_run: bool, actor) -> list[int]:
    """Create every parsed question, or none: a file is checked whole, and a bad
    line anywhere refuses the file with every bad line and why (400 import_invalid)."""
    errors = list(errors)
    for line, data in items:
        errors += [{"line": line, "message": message} for message in problems_of(data)]
    if not items and not errors:
        errors.append({"line": 1, "message": _("文件中没有题目")})
    if errors:
        errors.sort(key=lambda e: e["line"])
        raise invalid("import_invalid", _("导入文件有误，未导入任何题目"), detail={"errors": errors})
    if dry_run:
        return []
    with transaction.atomic():
        ids = [_create(data).pk for _, data in items]
        record(actor=actor, action="quizzes.questions_imported", target_type="quizzes.question", after={"ids": ids})
        section_cache.bank_changed()
    return ids
