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
