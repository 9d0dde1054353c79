from django.urls import path

from portal import public

from .views import account, checkin, credential, exams, inbox, record

urlpatterns = [
    path("account/password/", account.password_change, name="password-change"),
    path("check-in/", checkin.check_in_start, name="check-in-start"),
    path("check-in/<int:session_id>/", checkin.check_in, name="check-in"),
    path("exams/", exams.exam_list, name="exams"),
    path("exams/<int:quiz_id>/start/", exams.exam_start, name="exam-start"),
    path("attempts/<uuid:attempt_id>/", exams.attempt_page, name="attempt"),
    path("attempts/<uuid:attempt_id>/result/", exams.attempt_result, name="attempt-result"),
    path("record/", record.my_record, name="record"),
    path("record/external/", record.external_new, name="external-new"),
    path("record/transcript/", record.transcript, name="transcript"),
    path("credential/", credential.my_credential, name="credential"),
    path("reminders/", inbox.reminders, name="reminders"),
    path("reminders/<uuid:notification_id>/read/", inbox.mark_read, name="reminder-read"),
    path("verify/<str:key>/", public.verify, name="verify"),
]
