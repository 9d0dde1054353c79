"""Files of the compliance report: csv streamed row by row, xlsx in constant memory.

xlsx is written with XlsxWriter in ``constant_memory`` mode: each row is
flushed to a temporary file as soon as the next one starts, so memory does
not grow with the number of rows (openpyxl's ``write_only`` mode does the same
but is about twice as slow per cell, and the export of 100,000 people has a
30-second budget). The finished workbook is a zip, which cannot be streamed
before it is complete, so it is built in a temporary file and sent from there.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from audit.services import record

from .compliance import ComplianceRow, category_label, credential_status_label

CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@lru_cache(maxsize=256)
def _translated(language: str | None, text: str) -> str:
    return _(text)


def _t(text: str) -> str:
    """gettext, remembered per language: an export asks for the same few words 100,000 times."""
    return _translated(get_language(), text)


@lru_cache(maxsize=64)
def _category(language: str | None, code: str) -> str:
    return category_label(code)


@lru_cache(maxsize=64)
def _credential_status(language: str | None, code: str) -> str:
    return credential_status_label(code)


@dataclass(frozen=True)
class Column:
    header: Callable[[], str]
    value: Callable[[ComplianceRow], Any]
    width: int = 12


def _rule(code: str, attr: str):
    def read(row: ComplianceRow):
        rule = row.facts.rules.get(code)
        if rule is None:
            return None
        value = getattr(rule, attr)
        return value if not isinstance(value, bool) else (_t("是") if value else _t("否"))

    return read


def _exam(attr: str):
    def read(row: ComplianceRow):
        exam = row.facts.last_exam
        if exam is None:
            return None
        value = getattr(exam, attr)
        if isinstance(value, bool):
            return _t("通过") if value else _t("未通过")
        if isinstance(value, dt.datetime):
            return value.date()
        return value

    return read


def _credential(attr: str):
    def read(row: ComplianceRow):
        credential = row.facts.credential
        return None if credential is None else getattr(credential, attr)

    return read


COLUMNS: list[Column] = [
    Column(lambda: _("工号"), lambda r: r.person.staff_number, 10),
    Column(lambda: _("姓名"), lambda r: r.person.name, 10),
    Column(lambda: _("部门"), lambda r: r.person.department.name, 18),
    Column(lambda: _("人员类别"), lambda r: _category(get_language(), r.person.category), 10),
    Column(lambda: _("执法人员"), lambda r: _t("是") if r.person.is_enforcement_officer else _t("否"), 8),
    Column(lambda: _("年度学时"), _rule("annual", "earned")),
    Column(lambda: _("年度应修学时"), _rule("annual", "required")),
    Column(lambda: _("年度天数"), _rule("annual", "days")),
    Column(lambda: _("年度按进度"), _rule("annual", "on_pace")),
    Column(lambda: _("执法法律学时"), _rule("enforcement_legal", "earned")),
    Column(lambda: _("执法应修学时"), _rule("enforcement_legal", "required")),
    Column(lambda: _("执法法律天数"), _rule("enforcement_legal", "days")),
    Column(lambda: _("执法按进度"), _rule("enforcement_legal", "on_pace")),
    Column(lambda: _("最近考试"), _exam("quiz_title"), 20),
    Column(lambda: _("考试日期"), _exam("finished_at")),
    Column(lambda: _("考试成绩"), _exam("score"), 8),
    Column(lambda: _("考试结果"), _exam("passed"), 8),
    Column(lambda: _("执法证号"), _credential("number"), 16),
    Column(
        lambda: _("执法证状态"),
        lambda r: r.facts.credential and _credential_status(get_language(), r.facts.credential.status),
        10,
    ),
    Column(lambda: _("执法证有效期至"), _credential("expires_on")),
]


def record_export(*, actor, fmt: str, year: int, department_id: int | None) -> None:
    """Every file of people's records leaves an audit entry: who took what, when."""
    record(
        actor=actor,
        action="report_exported",
        target_type="report",
        target_id="compliance",
        after={"format": fmt, "year": year, "department": department_id},
    )


def headers() -> list[str]:
    return [column.header() for column in COLUMNS]


def values(row: ComplianceRow) -> list[Any]:
    return [column.value(row) for column in COLUMNS]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[ComplianceRow]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so spreadsheet programs read the Chinese text as UTF-8
    yield writer.writerow(headers())
    for row in rows:
        yield writer.writerow(["" if v is None else v for v in values(row)])


def csv_response(rows: Iterable[ComplianceRow], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(rows), content_type=f"{CSV_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def write_xlsx(rows: Iterable[ComplianceRow], target) -> int:
    """Write the workbook to ``target`` (a path or a binary file); return the number of rows."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False, "remove_timezone": True})
    sheet = workbook.add_worksheet(_("合规情况")[:31])
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    number = workbook.add_format({"num_format": "0.0"})
    for index, column in enumerate(COLUMNS):
        sheet.set_column(index, index, column.width)
    sheet.write_row(0, 0, headers(), bold)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, value in enumerate(values(row)):
            kind = type(value)
            if value is None:
                continue
            if kind is str:
                sheet.write_string(count, index, value)
            elif kind is Decimal:
                sheet.write_number(count, index, float(value), number)
            elif kind is dt.date:
                sheet.write_datetime(count, index, dt.datetime.combine(value, dt.time()), date)
            else:
                sheet.write(count, index, value)
    workbook.close()
    return count


def xlsx_response(rows: Iterable[ComplianceRow], *, filename: str) -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_xlsx(rows, handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)
