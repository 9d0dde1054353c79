"""The xlsx template exam offices use: 题型, 题干, 选项A–F, 答案, 解析, 法律依据, 分类, 难度 (+ optional 标签)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from ..models import QuestionType
from ..services.bank import LETTERS, QuestionData

TYPES = {"单选": QuestionType.SINGLE, "多选": QuestionType.MULTIPLE, "判断": QuestionType.TRUE_FALSE}
TYPE_NAMES: dict[str, str] = {str(v): k for k, v in TYPES.items()}
TRUE_WORDS = {"对", "正确", "√", "T", "TRUE", "是"}
FALSE_WORDS = {"错", "错误", "×", "F", "FALSE", "否"}
HEADER = ["题型", "题干", *[f"选项{letter}" for letter in LETTERS], "答案", "解析", "法律依据", "分类", "难度", "标签"]
REQUIRED = ["题型", "题干", "答案"]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse(content: bytes):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not xlsx
        return [], [{"line": 1, "message": _("不是有效的 xlsx 文件")}]
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(c) for c in next(rows, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return [], [{"line": 1, "message": _("缺少列：%s") % "、".join(missing)}]
    col = {name: header.index(name) for name in HEADER if name in header}
    items, errors = [], []
    for line, row in enumerate(rows, start=2):
        cells = {name: _text(row[i]) if i < len(row) else "" for name, i in col.items()}
        if not any(cells.values()):
            continue
        kind = TYPES.get(cells["题型"])
        if kind is None:
            errors.append({"line": line, "message": _("题型须为 单选、多选 或 判断：%s") % cells["题型"]})
            continue
        raw_answer = cells["答案"].upper().replace(",", "").replace("，", "").replace(" ", "")
        options = [cells.get(f"选项{letter}", "") for letter in LETTERS]
        while options and not options[-1]:
            options.pop()
        if kind == QuestionType.TRUE_FALSE:
            if raw_answer in TRUE_WORDS:
                answer: list[int] | bool = True
            elif raw_answer in FALSE_WORDS:
                answer = False
            else:
                errors.append({"line": line, "message": _("判断题答案须为 对 或 错：%s") % cells["答案"]})
                continue
            options = [o for o in options if o]
        else:
            if not raw_answer or any(ch not in LETTERS for ch in raw_answer):
                errors.append({"line": line, "message": _("答案须为选项字母（如 ABD）：%s") % cells["答案"]})
                continue
            answer = [LETTERS.index(ch) for ch in raw_answer]
            if any(i >= len(options) or not options[i] for i in answer):
                errors.append({"line": line, "message": _("答案 %s 指向空选项") % raw_answer})
                continue
        difficulty_text = cells.get("难度", "") or "3"
        if not difficulty_text.isdigit():
            errors.append({"line": line, "message": _("难度须为 1–5：%s") % difficulty_text})
            continue
        category = cells.get("分类", "")
        tags = [t.strip() for t in cells.get("标签", "").replace("，", ",").split(",") if t.strip()]
        items.append(
            (
                line,
                QuestionData(
                    type=kind,
                    stem=cells["题干"],
                    options=options,
                    answer=answer,
                    explanation=cells.get("解析", ""),
                    legal_basis=cells.get("法律依据", ""),
                    category=category,
                    tags=tags or ([category] if category else []),
                    difficulty=int(difficulty_text),
                ),
            )
        )
    return items, errors


def export(questions) -> bytes:
    from ..services.bank import data_of

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("题库")
    sheet.append(HEADER)
    for question in questions:
        data = data_of(question)
        options = list(data.options) + [""] * (len(LETTERS) - len(data.options))
        if isinstance(data.answer, bool):
            answer = "对" if data.answer else "错"
        else:
            answer = "".join(LETTERS[i] for i in sorted(data.answer))
        sheet.append(
            [
                TYPE_NAMES[data.type],
                data.stem,
                *options,
                answer,
                data.explanation,
                data.legal_basis,
                data.category,
                data.difficulty,
                ",".join(data.tags),
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
