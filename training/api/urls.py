from django.urls import path

from . import attendance, calendar, departments, external, people, sessions
from .me import MeView

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("me/progress/", people.MyProgressView.as_view(), name="me-progress"),
    path("me/calendar/", calendar.MyCalendarView.as_view(), name="me-calendar"),
    path("me/calendar/rotate/", calendar.RotateCalendarView.as_view(), name="me-calendar-rotate"),
    path("calendar/<str:token>.ics", calendar.CalendarFeedView.as_view(), name="calendar-feed"),
    path("sessions/", sessions.SessionListView.as_view(), name="session-list"),
    path("sessions/<int:pk>/", sessions.SessionDetailView.as_view(), name="session-detail"),
    path("sessions/<int:pk>/cancel/", sessions.SessionCancelView.as_view(), name="session-cancel"),
    path("sessions/<int:pk>/check-in-code/", sessions.CheckInCodeView.as_view(), name="session-check-in-code"),
    path("sessions/<int:pk>/check-in/", sessions.CheckInView.as_view(), name="session-check-in"),
    path("sessions/<int:pk>/attendance/", attendance.AttendanceListView.as_view(), name="session-attendance"),
    path(
        "sessions/<int:pk>/attendance/import/",
        attendance.AttendanceImportView.as_view(),
        name="session-attendance-import",
    ),
    path(
        "sessions/<int:pk>/attendance/<int:person_id>/",
        attendance.AttendanceDetailView.as_view(),
        name="session-attendance-detail",
    ),
    path("departments/", departments.DepartmentRollupView.as_view(), name="department-rollup"),
    path("organisation/targets/", departments.OrganisationTargetsView.as_view(), name="organisation-targets"),
    path("people/", people.PeopleListView.as_view(), name="person-list"),
    path("people/import/", people.PeopleImportView.as_view(), name="person-import"),
    path("people/<int:pk>/", people.PersonDetailView.as_view(), name="person-detail"),
    path("people/<int:pk>/progress/", people.PersonProgressView.as_view(), name="person-progress"),
    path("external-records/", external.ExternalListView.as_view(), name="external-record-list"),
    path("external-records/<int:pk>/approve/", external.ExternalApproveView.as_view(), name="external-record-approve"),
    path("external-records/<int:pk>/reject/", external.ExternalRejectView.as_view(), name="external-record-reject"),
    path(
        "external-records/<int:pk>/evidence/", external.ExternalEvidenceView.as_view(), name="external-record-evidence"
    ),
]
