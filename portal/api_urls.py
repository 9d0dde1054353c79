"""API routes of the portal (reports that join the apps)."""

from django.urls import path

from portal.reports import api as reports

urlpatterns = [
    path("reports/compliance/", reports.ComplianceReportView.as_view(), name="reports-compliance"),
    path("reports/annual/", reports.AnnualReportView.as_view(), name="reports-annual"),
]
