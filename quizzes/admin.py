"""The quizzes admin: the question bank (with the import page), quizzes with their
blueprint and overrides, the "extend open attempts" action, attempts (scores
only, never answers) and credentials with their events."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.errors import DomainError
from training.admin import ScopedAdminMixin

from . import services
from .io import FORMATS
from .models import (
    Attempt,
    Credential,
    CredentialEvent,
    CredentialType,
    ExternalResult,
    Question,
    QuestionType,
    QuestionVersion,
    Quiz,
    QuizOverride,
    QuizSection,
)
from .passwords import hash_start_password
from .services.bank import LETTERS, QuestionData, data_of

VERSION_FIELDS: tuple[str, ...] = ("number", "stem", "answer", "legal_basis", "created_at")

ATTEMPT_FIELDS: tuple[str, ...] = (
    "id",
    "quiz",
    "person",
    "number",
    "status",
    "started_at",
    "deadline",
    "finished_at",
    "score",
    "max_score",
    "percent",
    "passed",
    "flagged_for_hr",
)

EVENT_FIELDS: tuple[str, ...] = ("at", "kind", "actor", "reason", "before", "after")

CREDENTIAL_FIELDS: tuple[str, ...] = (
    "number",
    "public_token",
    "holder",
    "credential_type",
    "domain",
    "issued_on",
    "expires_on",
    "status",
    "attempt",
    "external_result",
)


class QuestionForm(forms.ModelForm):
    """Edits the current version through the bank service (a used version is never changed)."""

    stem = forms.CharField(label=_("题干"), widget=forms.Textarea(attrs={"rows": 3}))
    options = forms.CharField(label=_("选项（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    answer = forms.CharField(label=_("答案"), help_text=_("选项字母如 ABD；判断题填 对 或 错"))
    explanation = forms.CharField(label=_("解析"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label=_("法律依据"), required=False)
    tags_text = forms.CharField(label=_("标签（逗号分隔）"), required=False)

    class Meta:
        model = Question
        fields = ["type", "category", "difficulty", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.current_id:
            data = data_of(self.instance)
            self.initial.update(
                stem=data.stem,
                options="\n".join(data.options),
                answer=("对" if data.answer else "错")
                if isinstance(data.answer, bool)
                else "".join(LETTERS[i] for i in data.answer),
                explanation=data.explanation,
                legal_basis=data.legal_basis,
                tags_text=", ".join(data.tags),
            )

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            from .services.bank import problems_of

            problems = problems_of(self.question_data())
            if problems:
                raise forms.ValidationError(problems)
        return cleaned

    def question_data(self) -> QuestionData:
        values = self.cleaned_data
        raw = values["answer"].strip().upper()
        if values["type"] == QuestionType.TRUE_FALSE:
            answer: list[int] | bool = raw in {"对", "T", "TRUE", "正确"}
            if raw not in {"对", "错", "T", "F", "TRUE", "FALSE", "正确", "错误"}:
                raise forms.ValidationError({"answer": _("判断题填 对 或 错")})
        else:
            if any(ch not in LETTERS for ch in raw):
                raise forms.ValidationError({"answer": _("填选项字母")})
            answer = [LETTERS.index(ch) for ch in raw]
        return QuestionData(
            type=values["type"],
            stem=values["stem"],
            options=[line.strip() for line in values["options"].splitlines() if line.strip()],
            answer=answer,
            explanation=values["explanation"],
            legal_basis=values["legal_basis"],
            tags=[t.strip() for t in values["tags_text"].replace("，", ",").split(",") if t.strip()],
            category=values["category"],
            difficulty=values["difficulty"],
            status=values["status"],
        )


class VersionInline(admin.TabularInline):
    model = QuestionVersion
    extra = 0
    can_delete = False
    fields = VERSION_FIELDS
    readonly_fields = VERSION_FIELDS

    def has_add_permission(self, request, obj=None):
        return False


class RegradeForm(forms.Form):
    version = forms.IntegerField(label=_("版本号"), min_value=1)
    answer = forms.CharField(label=_("正确答案"), help_text=_("选项字母如 ABD；判断题填 对 或 错"))
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件"))
    format = forms.ChoiceField(label=_("格式"), choices=[(k, k) for k in FORMATS])
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = ["id", "stem_preview", "type", "category", "difficulty", "status", "version", "regrade_link"]
    list_filter = ["type", "status", "difficulty", "category"]
    search_fields = ["current__stem", "category", "current__legal_basis"]
    list_select_related = ["current"]
    inlines = [VersionInline]
    change_list_template = "admin/quizzes/question/change_list.html"

    @admin.display(description=_("题干"))
    def stem_preview(self, obj):
        return obj.current.stem[:60] if obj.current else ""

    @admin.display(description=_("版本"))
    def version(self, obj):
        return obj.current.number if obj.current else None

    @admin.display(description=_("修正答案并重新评分"))
    def regrade_link(self, obj):
        from django.utils.html import format_html

        return format_html('<a href="{}">{}</a>', reverse("admin:quizzes_question_regrade", args=[obj.pk]), _("修正"))

    def save_model(self, request, obj, form, change):
        try:
            data = form.question_data()
            if change:
                saved = services.update_question(
                    question=Question.objects.get(pk=obj.pk), data=data, actor=request.user
                )
            else:
                saved = services.create_question(data=data, actor=request.user)
        except (DomainError, forms.ValidationError) as exc:
            messages.error(request, str(getattr(exc, "detail", None) or exc))
            raise PermissionDenied from exc
        obj.pk = saved.pk
        obj.refresh_from_db()

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="quizzes_question_import"),
            path(
                "<int:question_id>/regrade/",
                self.admin_site.admin_view(self.regrade_view),
                name="quizzes_question_regrade",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        errors: list = []
        if request.method == "POST" and form.is_valid():
            fmt = form.cleaned_data["format"]
            items, parse_errors = FORMATS[fmt].parse(form.cleaned_data["file"].read())
            try:
                ids = services.import_questions(
                    items=items, errors=parse_errors, dry_run=form.cleaned_data["dry_run"], actor=request.user
                )
            except DomainError as exc:
                errors = (exc.detail or {}).get("errors", [])
            else:
                if form.cleaned_data["dry_run"]:
                    messages.success(request, _("检查通过：%d 道题") % len(items))
                else:
                    messages.success(request, _("已导入 %d 道题") % len(ids))
                    return TemplateResponse(
                        request, "admin/quizzes/question/import.html", self._context(request, ImportForm(), [])
                    )
        return TemplateResponse(request, "admin/quizzes/question/import.html", self._context(request, form, errors))

    def regrade_view(self, request, question_id: int):
        """Fix a wrong answer key and recompute the attempts that showed it (old and new scores kept)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        question = Question.objects.select_related("current").get(pk=question_id)
        form = RegradeForm(
            request.POST or None, initial={"version": question.current.number if question.current else 1}
        )
        if request.method == "POST" and form.is_valid():
            version = question.versions.filter(number=form.cleaned_data["version"]).first()
            raw = form.cleaned_data["answer"].strip().upper()
            if version is None:
                form.add_error("version", _("没有这个版本"))
            else:
                if question.type == QuestionType.TRUE_FALSE:
                    answer: object = raw in {"对", "T", "TRUE", "正确"}
                else:
                    ids = [o["id"] for o in version.options]
                    answer = [ids[LETTERS.index(ch)] for ch in raw if ch in LETTERS and LETTERS.index(ch) < len(ids)]
                try:
                    regrades = services.regrade_question(
                        version=version, answer=answer, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    self.message_user(request, _("已重新评分 %d 份试卷") % len(regrades))
                    from django.shortcuts import redirect

                    return redirect("admin:quizzes_question_change", question.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "errors": [],
            "title": _("修正答案并重新评分：%s") % (question.current.stem[:40] if question.current else question.pk),
            "export_url": "",
        }
        return TemplateResponse(request, "admin/quizzes/question/regrade.html", context)

    def _context(self, request, form, errors):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
            "title": _("导入题目"),
            "export_url": reverse("api:question-export"),
        }


class SectionInline(admin.TabularInline):
    model = QuizSection
    extra = 1
    fields = ["position", "title", "question_type", "tags", "count", "points"]


class OverrideInline(admin.TabularInline):
    model = QuizOverride
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "time_limit_minutes", "attempts_allowed", "reason"]


class QuizForm(forms.ModelForm):
    start_password = forms.CharField(
        label=_("考试口令"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("留空则不修改；填 - 清除口令"),
    )

    class Meta:
        model = Quiz
        fields = [
            "title",
            "description",
            "kind",
            "is_published",
            "time_limit_minutes",
            "opens_at",
            "closes_at",
            "attempts_allowed",
            "pass_mark",
            "audience",
            "shuffle_questions",
            "shuffle_options",
            "review_policy",
            "partial_credit",
            "credential_type",
            "required_legal_hours",
        ]


class ExtendForm(ActionForm):
    minutes = forms.IntegerField(label=_("延长（分钟）"), min_value=1, max_value=1440, required=False)


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    form = QuizForm
    action_form = ExtendForm
    list_display = ["title", "kind", "opens_at", "closes_at", "time_limit_minutes", "attempts_allowed", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title"]
    inlines = [SectionInline, OverrideInline]
    actions = ["extend_open_attempts"]
    raw_id_fields = ["audience"]

    def save_model(self, request, obj, form, change):
        password = form.cleaned_data.get("start_password") or ""
        if password == "-":  # noqa: S105 - the documented "clear the password" entry, not a secret
            obj.start_password_hash = ""
        elif password:
            obj.start_password_hash = hash_start_password(password)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("延长作答中的试卷时间（停电、断网后）"))
    def extend_open_attempts(self, request, queryset):
        minutes = request.POST.get("minutes", "")
        if not minutes.isdigit():
            self.message_user(request, _("请填写延长的分钟数"), messages.ERROR)
            return
        total = 0
        for quiz in queryset:
            try:
                total += services.extend_open_attempts(quiz=quiz, minutes=int(minutes), actor=request.user)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return
        self.message_user(request, _("已为 %(n)d 份试卷延长 %(m)s 分钟") % {"n": total, "m": minutes})


@admin.register(Attempt)
class AttemptAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_lookup = "person__department"
    """Scores and times only: nobody reads another person's answers (DESIGN.md)."""

    list_display = ["quiz", "person", "number", "status", "started_at", "deadline", "score", "percent", "passed"]
    list_filter = ["status", "passed", "quiz__kind", "flagged_for_hr"]
    search_fields = ["person__name", "person__staff_number", "quiz__title"]
    list_select_related = ["quiz", "person"]
    fields = ATTEMPT_FIELDS
    readonly_fields = ATTEMPT_FIELDS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CredentialType)
class CredentialTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "number_prefix", "validity_years", "max_pass_age_days"]


class EventInline(admin.TabularInline):
    model = CredentialEvent
    extra = 0
    can_delete = False
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS

    def has_add_permission(self, request, obj=None):
        return False


class ExpiringSoonFilter(admin.SimpleListFilter):
    title = _("即将到期")
    parameter_name = "expiring"

    def lookups(self, request, model_admin):
        return [("30", _("30 天内")), ("90", _("90 天内")), ("expired", _("已过期"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() in {"30", "90"}:
            return queryset.filter(
                status__in=["active", "suspended"],
                expires_on__gte=today,
                expires_on__lte=today + timedelta(days=int(self.value())),
            )
        if self.value() == "expired":
            return queryset.filter(expires_on__lt=today)
        return queryset


@admin.register(Credential)
class CredentialAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_lookup = "holder__department"
    """Read here; grants and changes go through the services (API / HR pages) so each leaves an event."""

    list_display = ["number", "holder", "credential_type", "issued_on", "expires_on", "status"]
    list_filter = ["status", "credential_type", ExpiringSoonFilter]
    search_fields = ["number", "holder__name", "holder__staff_number"]
    list_select_related = ["holder", "credential_type"]
    inlines = [EventInline]
    fields = CREDENTIAL_FIELDS
    readonly_fields = CREDENTIAL_FIELDS

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExternalResult)
class ExternalResultAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_lookup = "person__department"
    list_display = ["person", "credential_type", "passed_on", "score", "document_ref", "entered_by"]
    search_fields = ["person__name", "document_ref"]
    readonly_fields = ["person", "credential_type", "passed_on", "score", "document_ref", "entered_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
