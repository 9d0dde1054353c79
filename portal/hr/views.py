"""HR pages: the compliance dashboard of the caller's subtree, a person's transcript,
decisions on external records, password resets, the xlsx export and the annual report.

Reads go through the report builders (which use the apps' selectors); writes go
through training's services only.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from audit.errors import DomainError
from portal.reports import annual, compliance, exports, sources, summary
from quizzes import selectors as quizzes_selectors
from training import accounts
from training.models import Attendance, AttendanceStatus, Department, ExternalRecord, HoursEntry, Person
from training.roles import ADMIN, HR, has_role
from training.selectors import in_scope
from training.services import external

from . import charts
from .forms import DashboardFilterForm, DecisionForm

PAGE_SIZE = 25


def hr_required(view):
    """Pages for HR and admin: anonymous callers go to the login page, others get 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_role(request.user, HR, ADMIN):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _departments_in_scope(user) -> list[Department]:
    ids = compliance.caller_scope_ids(user)
    departments = Department.objects.only("id", "name", "path").order_by("path")
    return list(departments if ids is None else departments.filter(pk__in=ids))


def _person_in_scope(user, person_id: int) -> Person:
    person = get_object_or_404(Person.objects.select_related("department", "user"), pk=person_id)
    if not in_scope(user, person):
        raise Http404
    return person


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


def _query_without_page(request) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


def _sort_links(request) -> dict[str, str]:
    """Query strings that re-sort the table by a column, keeping the filters (page 1)."""
    kept = [(k, v) for k, v in request.GET.items() if k not in ("page", "ordering") and v]
    columns = {"name": "name", "department": "department", "hours": "-hours", "expiry": "expiry"}
    return {column: urlencode([*kept, ("ordering", key)]) for column, key in columns.items()}


def _filters(request):
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = str(timezone.localdate().year)
    form = DashboardFilterForm(data, departments=_departments_in_scope(request.user))
    department_id, flt = form.filter()
    if form.is_bound and "department" in form.errors:
        raise Http404  # a department outside the caller's scope is not offered, and not found
    scope = compliance.resolve_scope(request.user, department_id)
    return form, scope, flt


def _charts(data: summary.DashboardSummary) -> dict:
    status_labels = dict(compliance.CREDENTIAL_CHOICES)
    tones = {"active": "ok", "suspended": "warn", "revoked": "bad", "expired": "bad", "surrendered": "muted"}
    return {
        "hours": charts.bars_svg(
            title=_("年度培训天数分布（人）"),
            bars=[
                charts.Bar(label + _("天"), n, "ok" if i == len(data.hours_buckets) - 1 else "info")
                for i, (label, n) in enumerate(data.hours_buckets)
            ],
        ),
        "pace": charts.stacked_svg(
            title=_("各部门进度"),
            rows=[
                charts.StackedBar(
                    row["name"],
                    [
                        (str(_("已完成")), row["done"], "ok"),
                        (str(_("按进度")), row["on_pace"], "info"),
                        (str(_("落后")), row["behind"], "bad"),
                    ],
                )
                for row in data.departments
            ],
        )
        if data.departments
        else None,
        "expiring": charts.bars_svg(
            title=_("执法证到期（天内）"),
            bars=[charts.Bar(label + _("天"), n, "warn") for label, n in data.expiry_buckets],
        ),
        "credentials": charts.bars_svg(
            title=_("执法证状态"),
            bars=[
                charts.Bar(str(status_labels.get(code, code)), data.credentials.get(code, 0), tone)
                for code, tone in tones.items()
            ],
        ),
    }


@never_cache
@hr_required
@require_GET
def dashboard(request):
    form, scope, flt = _filters(request)
    page = _page_number(request)
    chunk = compliance.page_of(scope, flt, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = max((chunk.count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    data = summary.cached_dashboard_summary(scope, flt)
    return render(
        request,
        "portal/hr/dashboard.html",
        {
            "form": form,
            "flt": flt,
            "scope": scope,
            "rows": chunk.rows,
            "count": chunk.count,
            "page": page,
            "pages": pages,
            "query": _query_without_page(request),
            "sort": _sort_links(request),
            "summary": data,
            "charts": _charts(data),
            "expiring_days": compliance.EXPIRING_DAYS,
            "summary_minutes": summary.SUMMARY_TTL // 60,
        },
    )


@never_cache
@hr_required
@require_GET
def export(request):
    form, scope, flt = _filters(request)
    department_id = form.cleaned_data.get("department") if hasattr(form, "cleaned_data") else None
    exports.record_export(actor=request.user, fmt="xlsx", year=flt.year, department_id=department_id)
    return exports.xlsx_response(compliance.iter_rows(scope, flt), filename=f"compliance-{flt.year}")


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _external_records(person: Person):
    return list(ExternalRecord.objects.filter(person=person).order_by("-created_at", "-id")[:50])


def _sessions_attended(person: Person, year: int):
    return list(
        Attendance.objects.filter(person=person, status=AttendanceStatus.ATTENDED, session__starts_at__year=year)
        .select_related("session")
        .order_by("session__starts_at")
    )


def _ledger(person: Person, year: int):
    return list(HoursEntry.objects.filter(person=person, year=year).order_by("created_at", "id"))


@never_cache
@hr_required
@require_GET
def person_detail(request, person_id: int):
    person = _person_in_scope(request.user, person_id)
    year = _year(request)
    facts = sources.facts_for([person], year=year)[person.pk]
    return render(
        request,
        "portal/hr/person.html",
        {
            "person": person,
            "year": year,
            "facts": facts,
            "row": compliance.ComplianceRow(person, facts),
            "entries": _ledger(person, year),
            "attended": _sessions_attended(person, year),
            "externals": _external_records(person),
            "active_label": compliance.credential_status_label("active"),
            "results": list(quizzes_selectors.results_for(user=request.user, person_id=person.pk)[:50]),
            "credentials": [
                (c, compliance.credential_status_label(c.effective_status(timezone.localdate())))
                for c in quizzes_selectors.credentials_visible_to(request.user).filter(holder=person)[:20]
            ],
            "decision_form": DecisionForm(),
            "category_label": compliance.category_label(person.category),
        },
    )


@hr_required
@require_POST
def person_reset_password(request, person_id: int):
    person = _person_in_scope(request.user, person_id)
    try:
        one_time = accounts.reset_password(person=person, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:hr-person", person_id=person.pk)
    response = render(request, "portal/hr/password_reset.html", {"person": person, "one_time": one_time})
    response["Cache-Control"] = "no-store"
    return response


@hr_required
@require_POST
def external_decide(request, record_id: int):
    record = get_object_or_404(ExternalRecord.objects.select_related("person"), pk=record_id)
    if not in_scope(request.user, record.person):
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("portal:hr-person", person_id=record.person_id)
    try:
        _decide(record=record, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已审核。"))
    return redirect("portal:hr-person", person_id=record.person_id)


def _decide(*, record, actor, decision: str, reason: str) -> None:
    if decision == "approve":
        external.approve_external_record(external_record=record, actor=actor)
    else:
        external.reject_external_record(external_record=record, actor=actor, reason=reason)


@never_cache
@hr_required
@require_GET
def annual_report(request):
    year = _year(request)
    scope = compliance.resolve_scope(request.user, None)
    figures = annual.annual_figures(scope=scope, year=year)
    return render(request, "portal/hr/annual.html", {"figures": figures, "year": year, "scope": scope})
