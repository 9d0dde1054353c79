"""The training admin: departments, people, sessions with their audience and attendance, the policy,
external records, the read-only hours ledger (corrections go through the ledger service) and the
check-in projector screen."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from audit.errors import DomainError

from .models import (
    Attendance,
    Audience,
    ContentCategory,
    Department,
    ExternalRecord,
    ExternalStatus,
    HoursEntry,
    HoursSource,
    Person,
    PersonYearHours,
    RequirementRule,
    TrainingPolicy,
    TrainingSession,
)
from .selectors import person_for, scope_department_ids, sessions_visible_to
from .services.attendance import current_code
from .services.external import approve_external_record
from .services.ledger import credit_hours
from .services.people import deactivate_person, transfer_person


class ScopedAdminMixin:
    """An admin limited to a department subtree sees and changes only its rows.

    ``scope_lookup`` leads from a row to its department ("department",
    "person__department"); the HR/admin scope of DESIGN.md holds in the
    Django admin as it does in the API and the pages.
    """

    scope_lookup = ""

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        ids = scope_department_ids(request.user)
        if ids is None:
            return rows
        return rows.filter(**{f"{self.scope_lookup}__in": ids})


@admin.register(Department)
class DepartmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_lookup = "id"
    list_display = ["name", "code", "parent", "path", "sort_order"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    readonly_fields = ["path"]


@admin.register(Person)
class PersonAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_lookup = "department"
    list_display = ["staff_number", "name", "department", "category", "is_enforcement_officer", "is_active"]
    list_filter = ["department", "category", "is_enforcement_officer", "is_active"]
    search_fields = ["name", "staff_number", "phone", "user__username"]
    list_select_related = ["department"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["department", "scope_department"]

    def save_model(self, request, obj, form, change):
        """A change of department is a transfer, unticking "active" makes a leaver: both through the services."""
        if not change:
            return super().save_model(request, obj, form, change)
        stored = Person.objects.get(pk=obj.pk)
        new_department, new_active, new_left = obj.department, obj.is_active, obj.left_on
        obj.department_id, obj.is_active, obj.left_on = stored.department_id, stored.is_active, stored.left_on
        super().save_model(request, obj, form, change)
        if new_department.pk != stored.department_id:
            transfer_person(person=obj, department=new_department, actor=request.user)
        if stored.is_active and not new_active:
            deactivate_person(person=obj, actor=request.user, left_on=new_left or timezone.localdate())
        elif new_active != stored.is_active or new_left != stored.left_on:
            Person.objects.filter(pk=obj.pk).update(is_active=new_active, left_on=new_left)
        obj.refresh_from_db()


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "enforcement_only", "categories"]
    filter_horizontal = ["departments"]
    raw_id_fields = ["people"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["person"]
    # 学时 change only through the attendance service (PATCH /sessions/{id}/attendance/{person}/),
    # which keeps the ledger in step and asks for a reason.
    readonly_fields = ["status", "credited_hours", "checked_in_at", "reason"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "ends_at", "credited_hours", "status", "series_id", "projector"]
    list_filter = ["kind", "status", "content_category"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["audience"]
    readonly_fields = ["series_id", "created_by", "status", "cancel_reason"]
    inlines = [AttendanceInline]

    def get_queryset(self, request):
        """A scoped admin sees the sessions whose audience reaches the subtree (as in the API)."""
        visible = sessions_visible_to(request.user, person_for(request.user), include_audience=False)
        return super().get_queryset(request).filter(pk__in=visible.values("pk"))

    @admin.display(description=_("签到大屏"))
    def projector(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:training_trainingsession_projector", args=[obj.pk]), "▶"
        )

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/projector/",
                self.admin_site.admin_view(self.projector_view),
                name="training_trainingsession_projector",
            ),
            path(
                "<int:pk>/projector/code/",
                self.admin_site.admin_view(self.projector_code),
                name="training_trainingsession_projector_code",
            ),
        ]
        return urls + super().get_urls()

    def _session(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(TrainingSession, pk=pk)

    def _code_context(self, session):
        import segno

        code = current_code(session=session)
        svg = segno.make(code.qr_url, error="m").svg_inline(scale=12, border=2)
        return {"code": code.code, "qr_svg": mark_safe(svg), "qr_url": code.qr_url, "valid_until": code.valid_until}  # noqa: S308 - segno's own SVG

    def projector_view(self, request, pk):
        """The code and its QR large on a projector; the page fetches a fresh code every 20 seconds."""
        session = self._session(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "session": session,
            "title": session.title,
            "refresh_url": reverse("admin:training_trainingsession_projector_code", args=[session.pk]),
            **self._code_context(session),
        }
        return TemplateResponse(request, "admin/training/projector.html", context)

    def projector_code(self, request, pk):
        from django.http import JsonResponse

        session = self._session(request, pk)
        data = self._code_context(session)
        return JsonResponse({"code": data["code"], "qr_svg": str(data["qr_svg"]), "qr_url": data["qr_url"]})


class RequirementRuleInline(admin.TabularInline):
    model = RequirementRule
    extra = 0


@admin.register(TrainingPolicy)
class TrainingPolicyAdmin(admin.ModelAdmin):
    list_display = ["year", "hours_per_day", "central_group_target", "thematic_training_target"]
    inlines = [RequirementRuleInline]


@admin.register(ExternalRecord)
class ExternalRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_lookup = "person__department"
    list_display = ["title", "person", "content_category", "hours", "completed_on", "status"]
    list_filter = ["status", "content_category"]
    search_fields = ["title", "person__name", "person__staff_number"]
    list_select_related = ["person"]
    readonly_fields = ["status", "decided_by", "decided_at", "decision_reason", "evidence", "evidence_type"]
    actions = ["approve"]

    @admin.action(description=_("通过所选记录（学时入账）"))
    def approve(self, request, queryset):
        done = 0
        for row in queryset.filter(status=ExternalStatus.PENDING):
            try:
                approve_external_record(external_record=row, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{row}: {exc.message}", messages.ERROR)
        self.message_user(request, _("已通过 %(n)d 条") % {"n": done})


class CorrectionForm(forms.ModelForm):
    """A new ledger entry (usually a correction), written through the ledger service."""

    class Meta:
        model = HoursEntry
        fields = ["person", "year", "category", "hours", "source", "reason"]

    def clean_reason(self):
        reason = self.cleaned_data.get("reason", "").strip()
        if not reason:
            raise forms.ValidationError(_("更正必须填写原因。"))
        return reason


@admin.register(HoursEntry)
class HoursEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The ledger is append-only: entries are listed, never edited; "add" writes a correction through the service."""

    list_display = ["created_at", "person", "year", "category", "hours", "source", "source_ref", "created_by"]
    list_filter = ["year", "category", "source"]
    search_fields = ["person__name", "person__staff_number", "source_ref", "reason"]
    list_select_related = ["person", "created_by"]
    raw_id_fields = ["person"]
    form = CorrectionForm
    scope_lookup = "person__department"

    def get_changeform_initial_data(self, request):
        return {"source": HoursSource.CORRECTION, "category": ContentCategory.GENERAL_LAW, "hours": Decimal("0.5")}

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            obj.pk = credit_hours(
                person=obj.person,
                year=obj.year,
                category=obj.category,
                hours=obj.hours,
                source=obj.source,
                source_ref=f"admin:{request.user.pk}",
                reason=obj.reason,
                actor=request.user,
            ).pk
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            raise PermissionDenied(exc.message) from exc

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:training_hoursentry_changelist")


@admin.register(PersonYearHours)
class PersonYearHoursAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_lookup = "person__department"
    list_display = ["person", "year", "general_law", "specialised_law", "new_laws", "other", "total"]
    list_filter = ["year"]
    search_fields = ["person__name", "person__staff_number"]
    list_select_related = ["person"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
