"""Moodle XML: ``multichoice`` (single or multiple), ``truefalse`` and ``category`` questions.

xuefa's own fields ride along in elements Moodle's import ignores
(``<legalbasis>``, ``<difficulty>``); tags are Moodle's ``<tags>``; the general
feedback is the explanation.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.parsers import expat
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from ..models import QuestionType
from ..services.bank import QuestionData

TAG_RE = re.compile(r"<[^>]+>")


class Node:
    __slots__ = ("attrs", "children", "line", "tag", "text")

    def __init__(self, tag: str, attrs: dict, line: int):
        self.tag, self.attrs, self.line = tag, attrs, line
        self.children: list[Node] = []
        self.text = ""

    def find(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def value(self, *path: str) -> str:
        node: Node | None = self
        for tag in path:
            node = node.find(tag) if node else None
        return node.text.strip() if node else ""


def _tree(content: bytes) -> Node:
    """A small tree with line numbers. DOCTYPEs are refused (no entity expansion)."""
    parser = expat.ParserCreate("utf-8")
    root = Node("#document", {}, 1)
    stack = [root]

    def start(tag, attrs):
        node = Node(tag, attrs, parser.CurrentLineNumber)
        stack[-1].children.append(node)
        stack.append(node)

    def end(tag):
        stack.pop()

    def data(text):
        stack[-1].text += text

    def doctype(*args):
        raise ValueError(_("不接受 DOCTYPE"))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.StartDoctypeDeclHandler = doctype
    parser.Parse(content, True)
    return root


def _plain(text: str, fmt: str) -> str:
    if fmt == "html":
        import html

        text = html.unescape(TAG_RE.sub("", text))
    return text.strip()


def _question(node: Node, category: str) -> QuestionData:
    kind = node.attrs.get("type")
    text_node = node.find("questiontext")
    stem = _plain(text_node.value("text"), text_node.attrs.get("format", "html")) if text_node else ""
    feedback = node.find("generalfeedback")
    explanation = _plain(feedback.value("text"), feedback.attrs.get("format", "html")) if feedback else ""
    tags_node = node.find("tags")
    tags = [t.value("text") for t in tags_node.findall("tag")] if tags_node else []
    difficulty_text = node.value("difficulty") or "3"
    if not difficulty_text.isdigit():
        raise ValueError(_("难度须为 1–5"))
    common: dict[str, Any] = {
        "stem": stem,
        "explanation": explanation,
        "legal_basis": node.value("legalbasis"),
        "tags": [t for t in tags if t] or ([category.split("/")[-1]] if category else []),
        "category": category,
        "difficulty": int(difficulty_text),
    }
    answers = node.findall("answer")
    fractions = []
    for answer in answers:
        try:
            fractions.append(Decimal(answer.attrs.get("fraction", "0")))
        except InvalidOperation as exc:
            raise ValueError(_("fraction 无效")) from exc
    if kind == "truefalse":
        right = [a.value("text").lower() for a, f in zip(answers, fractions, strict=True) if f > 0]
        if len(right) != 1 or right[0] not in {"true", "false"}:
            raise ValueError(_("判断题须有且只有一个正确答案 true 或 false"))
        return QuestionData(type=QuestionType.TRUE_FALSE, answer=right[0] == "true", **common)
    if kind != "multichoice":
        raise ValueError(_("不支持的题型：%s") % kind)
    single = node.value("single").lower() in {"true", "1"}
    options = [_plain(a.value("text"), a.attrs.get("format", "html")) for a in answers]
    correct = [i for i, f in enumerate(fractions) if f > 0]
    return QuestionData(
        type=QuestionType.SINGLE if single else QuestionType.MULTIPLE, options=options, answer=correct, **common
    )


def parse(content: bytes):
    try:
        root = _tree(content)
    except (expat.ExpatError, ValueError) as exc:
        line = getattr(exc, "lineno", 1)
        return [], [{"line": line, "message": _("XML 无效：%s") % exc}]
    quiz = root.find("quiz")
    if quiz is None:
        return [], [{"line": 1, "message": _("缺少 <quiz> 根元素")}]
    items, errors = [], []
    category = ""
    for node in quiz.findall("question"):
        if node.attrs.get("type") == "category":
            category = node.value("category", "text")
            for prefix in ("$course$/top/", "$course$/", "$system$/", "top/"):
                if category.startswith(prefix):
                    category = category[len(prefix) :]
            if category in {"top", "$course$/top", "$course$"}:
                category = ""
            continue
        try:
            items.append((node.line, _question(node, category)))
        except ValueError as exc:
            errors.append({"line": node.line, "message": str(exc)})
    return items, errors


def _text(value: str) -> str:
    return f"<text>{escape(value)}</text>"


def export(questions) -> bytes:
    from ..services.bank import data_of

    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category = None
    for question in questions:
        data = data_of(question)
        if data.category != category:
            category = data.category
            path = f"$course$/top/{category}" if category else "$course$/top"
            out.append(f'  <question type="category"><category>{_text(path)}</category></question>')
        kind = "truefalse" if data.type == QuestionType.TRUE_FALSE else "multichoice"
        parts = [
            f'  <question type="{kind}">',
            f"    <name>{_text(f'Q{question.pk}')}</name>",
            f'    <questiontext format="plain_text">{_text(data.stem)}</questiontext>',
            f'    <generalfeedback format="plain_text">{_text(data.explanation)}</generalfeedback>',
            "    <defaultgrade>1</defaultgrade>",
            f"    <legalbasis>{escape(data.legal_basis)}</legalbasis>",
            f"    <difficulty>{data.difficulty}</difficulty>",
        ]
        if isinstance(data.answer, bool):
            parts.append(f'    <answer fraction="{100 if data.answer else 0}">{_text("true")}</answer>')
            parts.append(f'    <answer fraction="{0 if data.answer else 100}">{_text("false")}</answer>')
        else:
            single = data.type == QuestionType.SINGLE
            parts.append(f"    <single>{'true' if single else 'false'}</single>")
            parts.append("    <shuffleanswers>1</shuffleanswers>")
            share = format((Decimal(100) / Decimal(len(data.answer))).quantize(Decimal("0.00001")).normalize(), "f")
            for i, option in enumerate(data.options):
                fraction = (share if not single else "100") if i in data.answer else ("-100" if not single else "0")
                parts.append(f'    <answer fraction="{fraction}" format="plain_text">{_text(option)}</answer>')
        if data.tags:
            parts.append("    <tags>" + "".join(f"<tag>{_text(t)}</tag>" for t in data.tags) + "</tags>")
        parts.append("  </question>")
        out.append("\n".join(parts))
    out.append("</quiz>")
    return ("\n".join(out) + "\n").encode("utf-8")
