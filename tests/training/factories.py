import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from training.models import Category, Department, Person


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-1")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.groups.add(Group.objects.get_or_create(name=role)[0])


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"部门{n}")
    code = factory.Sequence(lambda n: f"D{n}")
    parent = None


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"张{n}")
    staff_number = factory.Sequence(lambda n: f"S{n:05d}")
    department = factory.SubFactory(DepartmentFactory)
    category = Category.CIVIL_SERVANT
    is_enforcement_officer = False


def make_session(
    *,
    departments=(),
    people=(),
    starts_in=None,
    duration=None,
    credited_hours="2.0",
    kind="thematic_legal_training",
    content_category="general_law",
    **fields,
):
    """A scheduled session for an audience, starting ``starts_in`` from now (default: started five minutes ago)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from training.models import Audience, TrainingSession

    audience = Audience.objects.create()
    if departments:
        audience.departments.set(departments)
    if people:
        audience.people.set(people)
    starts_at = fields.pop("starts_at", None) or timezone.now() + (
        starts_in if starts_in is not None else timedelta(minutes=-5)
    )
    ends_at = fields.pop("ends_at", None) or starts_at + (duration or timedelta(hours=2))
    return TrainingSession.objects.create(
        title=fields.pop("title", "行政处罚法专题培训"),
        kind=kind,
        content_category=content_category,
        starts_at=starts_at,
        ends_at=ends_at,
        credited_hours=Decimal(credited_hours),
        audience=audience,
        **fields,
    )


def external_record(person, *, evidence: bytes | None = None, **fields):
    from datetime import date
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from training.services.external import submit_external_record

    return submit_external_record(
        person=person,
        actor=person.user,
        title=fields.pop("title", "省司法厅执法培训"),
        content_category=fields.pop("content_category", "specialised_law"),
        hours=Decimal(fields.pop("hours", "6")),
        completed_on=fields.pop("completed_on", date(2026, 3, 10)),
        evidence=SimpleUploadedFile("证明.pdf", evidence, content_type="application/pdf") if evidence else None,
        **fields,
    )


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def people_xlsx(departments: list[list], people: list[list]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "部门"
    sheet.append(["编码", "名称", "上级编码"])
    for row in departments:
        sheet.append(row)
    people_sheet = book.create_sheet("人员")
    people_sheet.append(["工号", "姓名", "部门编码", "类别", "执法人员", "执法领域", "手机", "入职日期"])
    for row in people:
        people_sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
