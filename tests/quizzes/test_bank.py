"""The question bank: create, versioned edits, import (checked whole), export, regrade."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from audit.models import AuditEntry
from quizzes import cache as section_cache
from quizzes.io import gift, moodle_xml, xlsx
from quizzes.models import Attempt, Question, QuestionType, QuestionVersion, Regrade
from quizzes.services import regrade_question, save_answer, start_attempt, submit_attempt
from quizzes.services.bank import data_of

from .factories import bank, make_question, make_quiz, right_value

pytestmark = pytest.mark.django_db


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "题型",
            "题干",
            "选项A",
            "选项B",
            "选项C",
            "选项D",
            "选项E",
            "选项F",
            "答案",
            "解析",
            "法律依据",
            "分类",
            "难度",
        ]
    )
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


GOOD_ROWS = [
    [
        "单选",
        "执法人员不得少于几人？",
        "一人",
        "两人",
        "三人",
        "",
        "",
        "",
        "B",
        "行政处罚法规定",
        "《行政处罚法》第四十二条",
        "行政处罚法",
        2,
    ],
    [
        "多选",
        "行政复议机关可以作出的决定有？",
        "撤销",
        "变更",
        "确认违法",
        "罚款",
        "",
        "",
        "ABC",
        "",
        "《行政复议法》第六十三条",
        "行政复议法",
        3,
    ],
    [
        "判断",
        "行政诉讼的起诉期限一般为六个月。",
        "",
        "",
        "",
        "",
        "",
        "",
        "对",
        "",
        "《行政诉讼法》第四十六条",
        "行政诉讼法",
        1,
    ],
]


def _import(client, content: bytes, fmt: str, name: str, dry_run: bool = False):
    body = {"file": SimpleUploadedFile(name, content), "format": fmt}
    if dry_run:
        body["dry_run"] = "1"
    return client.post(reverse("api:question-import"), body, format="multipart")


def test_admin_creates_a_question(world):
    body = {
        "type": "multiple",
        "stem": "下列属于行政强制措施的是？",
        "options": ["查封场所", "扣押财物", "罚款"],
        "answer": "AB",
        "explanation": "行政强制法第九条",
        "legal_basis": "《行政强制法》第九条",
        "tags": ["行政强制法"],
        "difficulty": 2,
    }

    response = world.client("admin").post(reverse("api:question-list"), body, format="json")

    assert response.status_code == 201
    data = response.json()
    assert (data["answer"], data["version"], data["tags"]) == ("AB", 1, ["行政强制法"])
    assert [o["text"] for o in data["options"]] == ["查封场所", "扣押财物", "罚款"]


def test_an_invalid_question_is_refused(world):
    body = {"type": "single", "stem": "题干", "options": ["甲", "乙"], "answer": "AB"}

    response = world.client("admin").post(reverse("api:question-list"), body, format="json")

    assert response.status_code == 400
    assert Question.objects.count() == 0


def test_editing_a_used_question_makes_a_new_version_and_old_papers_keep_theirs(world):
    make_question(type=QuestionType.SINGLE, stem="旧题干")
    make_question(type=QuestionType.SINGLE, stem="另一题")
    quiz = make_quiz(sections=[(QuestionType.SINGLE, 2, "50")])
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    question = Question.objects.get(current__stem="旧题干")
    url = reverse("api:question-detail", kwargs={"question_id": question.pk})

    response = world.client("admin").patch(url, {"stem": "新题干"}, format="json")

    assert response.json()["version"] == 2
    assert list(question.versions.values_list("number", "stem")) == [(1, "旧题干"), (2, "新题干")]
    attempt.refresh_from_db()
    assert "旧题干" in [q["stem"] for q in attempt.paper["questions"]]


def test_editing_an_unused_question_changes_it_in_place(world):
    question = make_question(stem="旧题干")

    world.client("admin").patch(
        reverse("api:question-detail", kwargs={"question_id": question.pk}), {"stem": "改"}, format="json"
    )

    assert list(question.versions.values_list("number", "stem")) == [(1, "改")]


def test_bank_change_invalidates_the_cached_section_ids(world, django_capture_on_commit_callbacks):
    make_question(type=QuestionType.SINGLE)
    before = section_cache.candidate_ids(question_type="single", tags=[])
    body = {"type": "single", "stem": "新题", "options": ["甲", "乙"], "answer": "A"}

    with django_capture_on_commit_callbacks(execute=True):
        world.client("admin").post(reverse("api:question-list"), body, format="json")
    after = section_cache.candidate_ids(question_type="single", tags=[])

    assert len(before) == 1
    assert len(after) == 2


def test_xlsx_import_creates_the_questions(world):
    response = _import(world.client("admin"), _xlsx(GOOD_ROWS), "xlsx", "bank.xlsx")

    assert response.status_code == 201
    assert response.json()["created"] == 3
    created = {q.type: data_of(q) for q in Question.objects.select_related("current")}
    assert created["single"].answer == [1]
    assert created["multiple"].answer == [0, 1, 2]
    assert created["true_false"].answer is True
    assert created["single"].legal_basis == "《行政处罚法》第四十二条"
    assert created["single"].tags == ["行政处罚法"]


def test_xlsx_dry_run_reports_and_creates_nothing(world):
    response = _import(world.client("admin"), _xlsx(GOOD_ROWS), "xlsx", "bank.xlsx", dry_run=True)

    assert response.status_code == 200
    assert (response.json()["created"], response.json()["checked"]) == (0, 3)
    assert Question.objects.count() == 0


def test_a_bad_xlsx_names_every_bad_line_and_creates_nothing(world):
    rows = [
        GOOD_ROWS[0],
        ["填空", "x", "", "", "", "", "", "", "A", "", "", "", 1],
        ["单选", "两个答案", "甲", "乙", "", "", "", "", "AB", "", "", "", 1],
        ["判断", "x", "", "", "", "", "", "", "也许", "", "", "", 1],
        ["多选", "答案指向空选项", "甲", "乙", "", "", "", "", "AC", "", "", "", 1],
        ["单选", "难度", "甲", "乙", "", "", "", "", "A", "", "", "", 9],
    ]

    response = _import(world.client("admin"), _xlsx(rows), "xlsx", "bank.xlsx")

    assert response.status_code == 400
    assert response.json()["code"] == "import_invalid"
    assert [e["line"] for e in response.json()["detail"]["errors"]] == [3, 4, 5, 6, 7]
    assert Question.objects.count() == 0
    assert AuditEntry.objects.count() == 0


GIFT = r"""
// 题库样例
$CATEGORY: $course$/top/行政处罚法

::Q1::执法人员在调查或者检查时，不得少于几人？ {
~一人#不对
=两人#正确
~三人
####《行政处罚法》第四十二条规定不得少于两人。
}

// [tag:行政复议法]
// [legal_basis:《行政复议法》第二十条]
::Q2::申请行政复议的期限是知道之日起多少日内？\{自然日\} {=六十日 ~三十日 ~九十日}

::Q3::属于行政处罚种类的有 {~%50%警告 ~%50%罚款 ~%-100%记过}

::Q4::行政处罚法自2021年7月15日起施行。{T}
"""


def test_gift_import_reads_categories_titles_escapes_weights_and_feedback(world):
    items, errors = gift.parse(GIFT.encode())

    assert errors == []
    assert [line for line, _ in items] == [5, 14, 16, 18]
    q1, q2, q3, q4 = (data for _, data in items)
    assert (q1.type, q1.options, q1.answer) == ("single", ["一人", "两人", "三人"], [1])
    assert q1.explanation == "《行政处罚法》第四十二条规定不得少于两人。"
    assert q1.tags == ["行政处罚法"]
    assert q2.stem == "申请行政复议的期限是知道之日起多少日内？{自然日}"
    assert (q2.tags, q2.legal_basis) == (["行政复议法"], "《行政复议法》第二十条")
    assert (q3.type, q3.answer) == ("multiple", [0, 1])
    assert (q4.type, q4.answer) == ("true_false", True)


def test_a_bad_gift_file_names_every_bad_line(world):
    bad = "::a::没有答案\n\n::b::匹配题 {=甲 -> 乙}\n\n::c::好题 {=对 ~错}\n\n::d::没有正确 {~甲 ~乙}\n"

    response = _import(world.client("admin"), bad.encode(), "gift", "bank.txt")

    assert response.status_code == 400
    assert [e["line"] for e in response.json()["detail"]["errors"]] == [1, 3, 7]
    assert Question.objects.count() == 0


MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/国家赔偿法</text></category></question>
  <question type="multichoice">
    <name><text>Q1</text></name>
    <questiontext format="html"><text><![CDATA[<p>国家赔偿的方式以什么为主？</p>]]></text></questiontext>
    <generalfeedback format="html"><text>国家赔偿法第三十二条</text></generalfeedback>
    <single>true</single>
    <answer fraction="100"><text>支付赔偿金</text></answer>
    <answer fraction="0"><text>恢复原状</text></answer>
  </question>
  <question type="truefalse">
    <name><text>Q2</text></name>
    <questiontext format="plain_text"><text>国家赔偿请求时效为两年。</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="essay">
    <name><text>Q3</text></name>
    <questiontext format="plain_text"><text>论述</text></questiontext>
  </question>
</quiz>
"""


def test_moodle_xml_import_checks_the_whole_file(world):
    client = world.client("admin")

    bad = _import(client, MOODLE_XML.encode(), "moodle_xml", "bank.xml")
    good = _import(
        client,
        MOODLE_XML.replace('type="essay"', 'type="truefalse"')
        .replace(
            "<text>论述</text></questiontext>",
            '<text>论述</text></questiontext><answer fraction="100"><text>false</text></answer>',
        )
        .encode(),
        "moodle_xml",
        "bank.xml",
    )

    assert bad.status_code == 400
    assert bad.json()["detail"]["errors"][0]["line"] == 18
    assert good.status_code == 201
    first = data_of(Question.objects.order_by("id").first())
    assert (first.stem, first.options, first.answer, first.tags) == (
        "国家赔偿的方式以什么为主？",
        ["支付赔偿金", "恢复原状"],
        [0],
        ["国家赔偿法"],
    )


def test_moodle_xml_with_a_doctype_is_refused(world):
    content = b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]><quiz></quiz>'

    items, errors = moodle_xml.parse(content)

    assert items == []
    assert len(errors) == 1


@pytest.mark.parametrize("module", [xlsx, gift, moodle_xml])
def test_export_then_import_gives_the_same_questions(world, module):
    make_question(
        type=QuestionType.SINGLE, stem="含特殊字符 {a} = b ~ c # d: e", options=["甲", "乙", "丙"], answer=[2]
    )
    make_question(
        type=QuestionType.MULTIPLE,
        stem="多选",
        options=["甲", "乙", "丙", "丁"],
        answer=[1, 3],
        tags=["行政许可法", "新法"],
    )
    make_question(type=QuestionType.TRUE_FALSE, stem="判断", answer=False)
    originals = [data_of(q) for q in Question.objects.select_related("current").order_by("category", "id")]

    items, errors = module.parse(module.export(Question.objects.select_related("current").order_by("category", "id")))

    assert errors == []
    for original, (_, parsed) in zip(originals, items, strict=True):
        assert parsed == original


def test_regrade_after_a_key_fix_keeps_old_and_new_scores(world):
    make_question(type=QuestionType.SINGLE, stem="甲题")
    make_question(type=QuestionType.SINGLE, stem="乙题")
    quiz = make_quiz(sections=[(QuestionType.SINGLE, 2, "50")])
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    entry = attempt.paper["questions"][0]
    wrong_key = next(k for k, option_id in entry["keys"].items() if option_id == 2)
    save_answer(attempt=attempt, person=world.officer, question_id=entry["question_id"], value=[wrong_key], seq=1)
    other = attempt.paper["questions"][1]
    save_answer(
        attempt=attempt,
        person=world.officer,
        question_id=other["question_id"],
        value=right_value(attempt, other),
        seq=1,
    )
    submit_attempt(attempt=attempt, person=world.officer)
    version = QuestionVersion.objects.get(pk=entry["version_id"])

    regrades = regrade_question(version=version, answer=[2], actor=world.admin.user, reason="答案录入错误")

    attempt.refresh_from_db()
    assert [(r.old_score, r.new_score, r.old_passed, r.new_passed) for r in regrades] == [
        (Decimal("50.00"), Decimal("100.00"), False, True)
    ]
    assert (attempt.score, attempt.passed) == (Decimal("100.00"), True)
    assert AuditEntry.objects.filter(action="quizzes.attempt_regraded").count() == 1
    assert Regrade.objects.count() == 1
    assert Attempt.objects.count() == 1


def test_export_answers_a_file(world):
    bank(single=1, multiple=0, true_false=0)

    response = world.client("admin").get(reverse("api:question-export"), {"format": "gift"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="questions.gift.txt"'
    assert "单选0" in response.content.decode()
