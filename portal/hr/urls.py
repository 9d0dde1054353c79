from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="hr-dashboard"),
    path("export/", views.export, name="hr-export"),
    path("annual/", views.annual_report, name="hr-annual"),
    path("people/<int:person_id>/", views.person_detail, name="hr-person"),
    path("people/<int:person_id>/password/", views.person_reset_password, name="hr-person-reset-password"),
    path("external/<int:record_id>/decide/", views.external_decide, name="hr-external-decide"),
]
