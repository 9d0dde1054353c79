"""Moodle's GIFT: categories, titles, escapes, weights, feedback.

Supported: multiple choice (one ``=``: single; several ``=`` or positive
``~%n%`` weights: multiple), true/false (``{T}``/``{F}``), general feedback
``####`` (→ explanation). xuefa keeps its own fields in comment lines Moodle
ignores — ``// [tag:…]`` (which Moodle reads as tags too), ``// [legal_basis:…]``
and ``// [difficulty:n]`` — so export then import gives the same questions.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ..models import QuestionType
from ..services.bank import QuestionData

SPECIAL = "~=#{}:"
META = re.compile(r"^\[(tag|legal_basis|difficulty|explanation):(.*)\]$")


def _find(text: str, token: str, start: int = 0) -> int:
    """Index of the first unescaped ``token`` at or after ``start``, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(token, i):
            return i
        i += 1
    return -1


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out).strip()


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for ch in SPECIAL:
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", "\\n")


def _blocks(text: str):
    """(first line number, lines) of each blank-line separated block."""
    block: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _split_answers(body: str) -> list[tuple[str, str]]:
    """The ``=``/``~`` answers of a body, as (marker, raw text)."""
    parts: list[tuple[str, str]] = []
    i, marker, current = 0, None, []
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            current.append(body[i : i + 2])
            i += 2
            continue
        if ch in "=~":
            if marker is not None:
                parts.append((marker, "".join(current)))
            marker, current = ch, []
        elif marker is not None:
            current.append(ch)
        elif not ch.isspace():
            raise ValueError(_("答案须以 = 或 ~ 开头"))
        i += 1
    if marker is not None:
        parts.append((marker, "".join(current)))
    return parts


def _question(block: list[str], category: str) -> QuestionData:
    meta_tags: list[str] = []
    legal_basis = ""
    difficulty = 3
    text_lines = []
    for line in block:
        stripped = line.strip()
        if stripped.startswith("//"):
            match = META.match(stripped[2:].strip())
            if match:
                name, value = match.group(1), match.group(2).strip()
                if name == "tag":
                    meta_tags.append(value)
                elif name == "legal_basis":
                    legal_basis = value
                elif name == "difficulty":
                    if not value.isdigit():
                        raise ValueError(_("难度须为 1–5"))
                    difficulty = int(value)
            continue
        text_lines.append(line)
    text = "\n".join(text_lines).strip()
    if text.startswith("::"):
        end = _find(text, "::", 2)
        if end < 0:
            raise ValueError(_("标题缺少结尾的 ::"))
        text = text[end + 2 :].strip()
    if text.startswith("[") and "]" in text[:12]:  # [html], [markdown], [plain]
        text = text[text.index("]") + 1 :]
    open_at = _find(text, "{")
    close_at = _find(text, "}", open_at + 1) if open_at >= 0 else -1
    if open_at < 0 or close_at < 0:
        raise ValueError(_("缺少答案 {…}"))
    stem = unescape(text[:open_at] + " " + text[close_at + 1 :])
    body = text[open_at + 1 : close_at].strip()
    explanation = ""
    general = _find(body, "####")
    if general >= 0:
        explanation = unescape(body[general + 4 :])
        body = body[:general].strip()
    if "->" in body:
        raise ValueError(_("不支持匹配题"))
    if body.startswith("#"):
        raise ValueError(_("不支持数值题"))
    tags = meta_tags or ([category.split("/")[-1]] if category else [])
    common: dict[str, Any] = {
        "stem": stem,
        "explanation": explanation,
        "legal_basis": legal_basis,
        "tags": tags,
        "category": category,
        "difficulty": difficulty,
    }
    head = body.split("#", 1)[0].strip().upper()
    if head in {"T", "TRUE", "F", "FALSE"}:
        return QuestionData(type=QuestionType.TRUE_FALSE, answer=head.startswith("T"), **common)
    options: list[str] = []
    correct: list[int] = []
    plain_right = 0
    for index, (marker, raw) in enumerate(_split_answers(body)):
        fb_at = _find(raw, "#")
        raw = raw[:fb_at] if fb_at >= 0 else raw
        weight = None
        match = re.match(r"^\s*%(-?[0-9.]+)%", raw)
        if match:
            try:
                weight = Decimal(match.group(1))
            except InvalidOperation as exc:
                raise ValueError(_("权重无效")) from exc
            raw = raw[match.end() :]
        options.append(unescape(raw))
        if marker == "=" or (weight is not None and weight > 0):
            correct.append(index)
            plain_right += marker == "="
    if not options:
        raise ValueError(_("缺少选项"))
    if not correct:
        raise ValueError(_("没有正确答案"))
    weighted = len(correct) > plain_right
    kind = QuestionType.MULTIPLE if (len(correct) > 1 or weighted) else QuestionType.SINGLE
    return QuestionData(type=kind, options=options, answer=correct, **common)


def parse(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [{"line": 1, "message": _("文件须为 UTF-8 编码")}]
    items, errors = [], []
    category = ""
    for start, block in _blocks(text):
        lines = []
        for offset, line in enumerate(block):
            stripped = line.strip()
            if stripped.startswith("$CATEGORY:"):
                category = stripped[len("$CATEGORY:") :].strip()
                for prefix in ("$course$/top/", "$course$/", "$system$/", "top/"):
                    if category.startswith(prefix):
                        category = category[len(prefix) :]
                if category in {"top", "$course$/top", "$course$"}:
                    category = ""
                continue
            lines.append((start + offset, line))
        content_lines = [line for _, line in lines if not line.strip().startswith("//")]
        if not content_lines:
            continue
        first = next(n for n, line in lines if not line.strip().startswith("//"))
        try:
            items.append((first, _question([line for _, line in lines], category)))
        except ValueError as exc:
            errors.append({"line": first, "message": str(exc)})
    return items, errors


def _weight(count: int) -> str:
    value = (Decimal(100) / Decimal(count)).quantize(Decimal("0.00001"))
    return format(value.normalize(), "f")


def export(questions) -> bytes:
    from ..services.bank import data_of

    chunks = []
    category = None
    for question in questions:
        data = data_of(question)
        if data.category != category:
            category = data.category
            chunks.append(f"$CATEGORY: $course$/top/{category}\n" if category else "$CATEGORY: $course$/top\n")
        lines = [f"// [tag:{tag}]" for tag in data.tags]
        if data.legal_basis:
            lines.append(f"// [legal_basis:{data.legal_basis}]")
        lines.append(f"// [difficulty:{data.difficulty}]")
        title = f"::Q{question.pk}::"
        if isinstance(data.answer, bool):
            body = "TRUE" if data.answer else "FALSE"
        elif data.type == QuestionType.SINGLE:
            body = " ".join(("=" if i in data.answer else "~") + escape(o) for i, o in enumerate(data.options))
        else:
            right = _weight(len(data.answer))
            body = " ".join(
                (f"~%{right}%" if i in data.answer else "~%-100%") + escape(o) for i, o in enumerate(data.options)
            )
        if data.explanation:
            body += f" ####{escape(data.explanation)}"
        lines.append(f"{title}{escape(data.stem)} {{{body}}}")
        chunks.append("\n".join(lines) + "\n")
    return "\n".join(chunks).encode("utf-8")
