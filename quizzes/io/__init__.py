"""Question import and export: the exam offices' xlsx template, Moodle GIFT and Moodle XML.

Each format module has ``parse(content: bytes) -> (items, errors)`` where items
are ``(line, QuestionData)`` and errors ``{"line", "message"}``, and
``export(questions) -> bytes``. Parsing never writes: the service checks the
whole file and creates everything or nothing.
"""

from __future__ import annotations

from . import gift, moodle_xml, xlsx

FORMATS = {"xlsx": xlsx, "gift": gift, "moodle_xml": moodle_xml}
CONTENT_TYPES = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "gift": ("text/plain; charset=utf-8", "gift.txt"),
    "moodle_xml": ("application/xml; charset=utf-8", "xml"),
}
