"""API views of the reports: compliance (JSON, csv, xlsx) and the annual figures."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from training.models import Category
from training.roles import ADMIN, HR, has_role

from . import annual, compliance, exports


class IsHrOrAdmin(BasePermission):
    def has_permission(self, request, view) -> bool:
        return has_role(request.user, HR, ADMIN)


def _this_year() -> int:
    return timezone.localdate().year


class ComplianceInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    department = serializers.IntegerField(min_value=1, required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    pace = serializers.ChoiceField(choices=compliance.PACE_CHOICES, required=False)
    credential = serializers.ChoiceField(choices=compliance.CREDENTIAL_CHOICES, required=False)
    search = serializers.CharField(max_length=64, required=False)
    ordering = serializers.ChoiceField(choices=list(compliance.ORDERINGS), required=False)
    export = serializers.ChoiceField(choices=["csv", "xlsx"], required=False)


class RuleOutput(serializers.Serializer):
    code = serializers.CharField()
    earned = serializers.DecimalField(max_digits=7, decimal_places=1)
    required = serializers.DecimalField(max_digits=7, decimal_places=1)  # type: ignore[assignment]  # popped by DRF
    expected = serializers.DecimalField(max_digits=7, decimal_places=1)
    days = serializers.DecimalField(max_digits=7, decimal_places=1)
    on_pace = serializers.BooleanField()


class ExamOutput(serializers.Serializer):
    quiz = serializers.CharField(source="quiz_title")
    finished_at = serializers.DateTimeField(allow_null=True)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)


class CredentialOutput(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    expires_on = serializers.DateField(allow_null=True)


class DepartmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PersonOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    staff_number = serializers.CharField()
    department = DepartmentOutput()
    category = serializers.CharField()
    is_enforcement_officer = serializers.BooleanField()


class ComplianceRowOutput(serializers.Serializer):
    person = PersonOutput()
    rules = serializers.SerializerMethodField()
    on_pace = serializers.BooleanField(source="facts.on_pace")
    last_exam = ExamOutput(source="facts.last_exam", allow_null=True)
    credential = CredentialOutput(source="facts.credential", allow_null=True)

    def get_rules(self, row) -> dict:
        return {code: RuleOutput(rule).data for code, rule in row.facts.rules.items()}


class CompliancePageOutput(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ComplianceRowOutput(many=True)


def _wants(request, data) -> str:
    if data.get("export"):
        return data["export"]
    accept = request.META.get("HTTP_ACCEPT", "")
    if exports.XLSX_TYPE in accept:
        return "xlsx"
    if exports.CSV_TYPE in accept:
        return "csv"
    return "json"


class ComplianceReportView(APIView):
    permission_classes = [IsHrOrAdmin]

    def perform_content_negotiation(self, request, force=False):
        # The files are answered outside DRF's renderers; JSON stays the only renderer.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="reports_compliance",
        parameters=[
            ComplianceInput,
            OpenApiParameter("page", OpenApiTypes.INT, description="page number (JSON only)"),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="rows per page, at most 100 (JSON only)"),
        ],
        responses={
            200: OpenApiResponse(
                CompliancePageOutput,
                description="Paginated JSON; with Accept text/csv or the xlsx type, or ?export=csv|xlsx, a file.",
            ),
            (200, exports.CSV_TYPE): OpenApiTypes.BINARY,
            (200, exports.XLSX_TYPE): OpenApiTypes.BINARY,
        },
    )
    def get(self, request):
        params = ComplianceInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        scope = compliance.resolve_scope(request.user, data.get("department"))
        flt = compliance.ComplianceFilter(
            year=data.get("year") or _this_year(),
            department=scope.department,
            category=data.get("category", ""),
            pace=data.get("pace", ""),
            credential=data.get("credential", ""),
            search=data.get("search", ""),
            ordering=data.get("ordering", "department"),
        )
        wanted = _wants(request, data)
        filename = f"compliance-{flt.year}"
        if wanted != "json":
            exports.record_export(actor=request.user, fmt=wanted, year=flt.year, department_id=data.get("department"))
        if wanted == "csv":
            return exports.csv_response(compliance.iter_rows(scope, flt), filename=filename)
        if wanted == "xlsx":
            return exports.xlsx_response(compliance.iter_rows(scope, flt), filename=filename)
        paginator = api_settings.DEFAULT_PAGINATION_CLASS()  # the project's pagination, named in settings
        page_size = paginator.get_page_size(request) or paginator.page_size
        page_number = _page_number(request)
        chunk = compliance.page_of(scope, flt, offset=(page_number - 1) * page_size, limit=page_size)
        return Response(CompliancePageOutput(_envelope(request, chunk, page_number, page_size)).data)


def _page_number(request) -> int:
    try:
        return max(int(request.query_params.get("page", 1)), 1)
    except ValueError:
        return 1


def _envelope(request, chunk: compliance.ComplianceSlice, page: int, size: int) -> dict:
    url = request.build_absolute_uri()
    last = max((chunk.count + size - 1) // size, 1)
    return {
        "count": chunk.count,
        "next": replace_query_param(url, "page", page + 1) if page < last else None,
        "previous": replace_query_param(url, "page", page - 1) if page > 1 else None,
        "results": chunk.rows,
    }


class AnnualInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class ExamFiguresOutput(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # declared fields are popped by DRF
    attempts = serializers.IntegerField()
    passed = serializers.IntegerField()
    people = serializers.IntegerField()
    pass_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class AnnualOutput(serializers.Serializer):
    year = serializers.IntegerField()
    studies_held = serializers.IntegerField(allow_null=True)
    studies_target = serializers.IntegerField()
    studies_met = serializers.BooleanField(allow_null=True)
    trainings_held = serializers.IntegerField(allow_null=True)
    trainings_target = serializers.IntegerField()
    trainings_met = serializers.BooleanField(allow_null=True)
    enforcement_officers = serializers.IntegerField()
    enforcement_average_days = serializers.DecimalField(max_digits=7, decimal_places=1)
    enforcement_days_target = serializers.DecimalField(max_digits=7, decimal_places=1)
    enforcement_met = serializers.BooleanField()
    exams = ExamFiguresOutput(many=True)
    credentials = inline_serializer(
        "AnnualCredentials",
        {
            "granted": serializers.IntegerField(allow_null=True),
            "suspended": serializers.IntegerField(allow_null=True),
            "revoked": serializers.IntegerField(allow_null=True),
        },
    )


class AnnualReportView(APIView):
    permission_classes = [IsHrOrAdmin]

    @extend_schema(operation_id="reports_annual", parameters=[AnnualInput], responses={200: AnnualOutput})
    def get(self, request):
        params = AnnualInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        scope = compliance.resolve_scope(request.user, None)
        figures = annual.annual_figures(scope=scope, year=params.validated_data.get("year") or _this_year())
        return Response(AnnualOutput(figures).data)
