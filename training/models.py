"""Departments, people, audiences and the hours ledger."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A node of the organisation tree (街道 → 科室/中心/所).

    ``path`` is the chain of ids from the root ("/1/4/9/"), so a subtree is one
    prefix match; "a department" always means its whole subtree.
    """

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, unique=True, null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if path != self.path:
            old = self.path
            Department.objects.filter(pk=self.pk).update(path=path)
            if old:  # a move: the whole subtree follows
                for child in Department.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    Department.objects.filter(pk=child.pk).update(path=path + child.path[len(old) :])
            self.path = path


class Category(models.TextChoices):
    LEADING_CADRE = "leading_cadre", _("领导干部")
    CIVIL_SERVANT = "civil_servant", _("公务员")
    INSTITUTION_STAFF = "institution_staff", _("事业人员")
    AUXILIARY = "auxiliary", _("辅助人员")


class Person(models.Model):
    """The staff member behind a user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="person"
    )
    name = models.CharField(_("name"), max_length=64)
    staff_number = models.CharField(_("staff number"), max_length=32, unique=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="people")
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    is_enforcement_officer = models.BooleanField(_("enforcement officer"), default=False)
    enforcement_domain = models.CharField(_("enforcement domain"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    barred_from_credentials = models.BooleanField(_("barred from credentials"), default=False)
    barred_reason = models.TextField(_("reason barred"), blank=True)
    # HR and admin rights reach this subtree only; empty means the whole organisation.
    scope_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("HR/admin scope"),
    )
    must_change_password = models.BooleanField(default=False)

    class Meta:
        ordering = ["department__path", "staff_number"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["department", "is_active"], name="person_dept_active_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="person_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.staff_number})"


class Audience(models.Model):
    """Who a session or quiz is for, re-expanded whenever it is read.

    Departments (with their subtrees), categories and "enforcement officers
    only" narrow the organisation; named people are added to what they leave.
    With no narrowing and nobody named, the audience is everyone.
    """

    departments = models.ManyToManyField(Department, blank=True, related_name="+")
    categories = models.JSONField(default=list, blank=True)
    enforcement_only = models.BooleanField(default=False)
    people = models.ManyToManyField(Person, blank=True, related_name="+")

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return f"audience #{self.pk}"


class ContentCategory(models.TextChoices):
    GENERAL_LAW = "general_law", _("通用法律知识")
    SPECIALISED_LAW = "specialised_law", _("专门法律知识")
    NEW_LAWS = "new_laws", _("新法律法规")
    OTHER = "other", _("其他")


LEGAL_CATEGORIES = (ContentCategory.GENERAL_LAW, ContentCategory.SPECIALISED_LAW, ContentCategory.NEW_LAWS)


class HoursSource(models.TextChoices):
    ATTENDANCE = "attendance", _("出勤")
    EXTERNAL = "external", _("外部培训")
    CORRECTION = "correction", _("更正")


class HoursEntry(models.Model):
    """One credit (or correction) of 学时 in the ledger; totals are sums of these."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="hours_entries")
    year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=32, choices=ContentCategory.choices)
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    source = models.CharField(max_length=16, choices=HoursSource.choices)
    source_ref = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours entries")
        indexes = [
            models.Index(fields=["person", "year", "category"], name="hours_person_year_idx"),
        ]
        constraints = [
            # Only a correction may take hours away; nothing is worth a whole year.
            models.CheckConstraint(
                condition=(Q(hours__gte=Decimal("0")) | Q(source="correction")) & Q(hours__lte=Decimal("2000")),
                name="hours_entry_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year} {self.category} {self.hours}"


class AppliesTo(models.TextChoices):
    EVERYONE = "everyone", _("全体人员")
    ENFORCEMENT_OFFICERS = "enforcement_officers", _("行政执法人员")


class TrainingPolicy(models.Model):
    """The year's training rules (REGULATIONS.md): copied forward at the year's start, editable in admin."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    hours_per_day = models.DecimalField(_("学时 per day"), max_digits=4, decimal_places=1, default=Decimal("7.5"))
    central_group_target = models.PositiveSmallIntegerField(_("central-group studies a year"), default=8)
    thematic_training_target = models.PositiveSmallIntegerField(_("thematic legal trainings a year"), default=6)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("training policy")
        verbose_name_plural = _("training policies")
        constraints = [
            models.CheckConstraint(condition=Q(hours_per_day__gt=Decimal("0")), name="policy_hours_per_day_positive"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class RequirementRule(models.Model):
    """One requirement of a year's policy: who it applies to, the 学时 it needs, the categories that count.

    No categories means every category counts.
    """

    policy = models.ForeignKey(TrainingPolicy, on_delete=models.CASCADE, related_name="rules")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    applies_to = models.CharField(_("applies to"), max_length=32, choices=AppliesTo.choices)
    required_hours = models.DecimalField(_("required 学时"), max_digits=6, decimal_places=1)
    categories = models.JSONField(_("counted categories"), default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["policy", "sort_order", "id"]
        verbose_name = _("requirement rule")
        verbose_name_plural = _("requirement rules")
        constraints = [
            models.UniqueConstraint(fields=["policy", "code"], name="rule_code_unique_per_policy"),
            models.CheckConstraint(
                condition=Q(required_hours__gte=Decimal("0")) & Q(required_hours__lte=Decimal("2000")),
                name="rule_required_hours_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id}:{self.code}"


class SessionKind(models.TextChoices):
    CENTRAL_GROUP_STUDY = "central_group_study", _("党委中心组集体学法")
    THEMATIC_LEGAL_TRAINING = "thematic_legal_training", _("法治专题培训")
    ENFORCEMENT_TRAINING = "enforcement_training", _("执法人员专门业务培训")
    ONBOARDING = "onboarding", _("初任培训")
    PROMOTION = "promotion", _("任职培训")
    REFRESHER = "refresher", _("在职培训")
    PUBLICITY = "publicity", _("法治宣传")
    CONSTITUTION_DAY = "constitution_day", _("国家宪法日")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    CANCELLED = "cancelled", _("已取消")
    HELD = "held", _("已举行")


def new_check_in_secret() -> str:
    import secrets

    return secrets.token_hex(20)


class TrainingSession(models.Model):
    """A law-study session or training: when, where, for whom, worth how many 学时."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=SessionKind.choices)
    content_category = models.CharField(_("content category"), max_length=32, choices=ContentCategory.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    credited_hours = models.DecimalField(_("credited 学时"), max_digits=5, decimal_places=1)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    audience = models.ForeignKey(Audience, on_delete=models.PROTECT, related_name="sessions")
    status = models.CharField(_("status"), max_length=16, choices=SessionStatus.choices, default="scheduled")
    cancel_reason = models.TextField(_("reason cancelled"), blank=True)
    series_id = models.UUIDField(_("series"), null=True, blank=True, db_index=True)
    check_in_secret = models.CharField(max_length=64, default=new_check_in_secret, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        indexes = [models.Index(fields=["starts_at", "status"], name="session_start_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(
                condition=Q(credited_hours__gte=Decimal("0")) & Q(credited_hours__lte=Decimal("200")),
                name="session_credited_hours_sane",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    ATTENDED = "attended", _("已出勤")
    ABSENT = "absent", _("缺勤")
    EXCUSED = "excused", _("请假")


class Attendance(models.Model):
    """One person at one session; credited 学时 reach the ledger through the ledger service only."""

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(_("status"), max_length=16, choices=AttendanceStatus.choices, default="registered")
    reason = models.TextField(_("reason"), blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    credited_hours = models.DecimalField(_("credited 学时"), max_digits=5, decimal_places=1, default=Decimal("0"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "person"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["person", "session"], name="attendance_one_per_person_session"),
            models.CheckConstraint(
                condition=Q(credited_hours__gte=Decimal("0")) & Q(credited_hours__lte=Decimal("200")),
                name="attendance_credited_hours_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.session_id}: {self.status}"


class PersonYearHours(models.Model):
    """The ledger summed per person and year, kept in the same transaction as every entry.

    Rebuildable from the ledger: ``manage.py rebuild_hours_summary``.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="year_hours")
    year = models.PositiveSmallIntegerField()
    general_law = models.DecimalField(max_digits=7, decimal_places=1, default=Decimal("0"))
    specialised_law = models.DecimalField(max_digits=7, decimal_places=1, default=Decimal("0"))
    new_laws = models.DecimalField(max_digits=7, decimal_places=1, default=Decimal("0"))
    other = models.DecimalField(max_digits=7, decimal_places=1, default=Decimal("0"))
    total = models.DecimalField(max_digits=7, decimal_places=1, default=Decimal("0"))

    class Meta:
        verbose_name = _("hours per person and year")
        verbose_name_plural = _("hours per person and year")
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="person_year_hours_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}: {self.total}"


class ExternalStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已驳回")


class ExternalRecord(models.Model):
    """Training done elsewhere, with evidence; counts only once HR approves it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="external_records")
    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    content_category = models.CharField(_("content category"), max_length=32, choices=ContentCategory.choices)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    completed_on = models.DateField(_("completed on"))
    evidence = models.FileField(_("evidence"), upload_to="evidence/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ExternalStatus.choices, default="pending")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("external training record")
        verbose_name_plural = _("external training records")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=Decimal("0")) & Q(hours__lte=Decimal("200")), name="external_hours_sane"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """The secret token of a person's private iCalendar feed; rotating it kills the old URL."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    rotated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar of {self.person_id}"
