from django.urls import path

from . import attempts, bank, credentials, statistics

urlpatterns = [
    path("questions/", bank.QuestionListView.as_view(), name="question-list"),
    path("questions/import/", bank.QuestionImportView.as_view(), name="question-import"),
    path("questions/export/", bank.QuestionExportView.as_view(), name="question-export"),
    path("questions/<int:question_id>/", bank.QuestionDetailView.as_view(), name="question-detail"),
    path("quizzes/", attempts.QuizListView.as_view(), name="quiz-list"),
    path("quizzes/<int:quiz_id>/attempts/", attempts.StartAttemptView.as_view(), name="quiz-start"),
    path("quizzes/<int:quiz_id>/statistics/", statistics.QuizStatisticsView.as_view(), name="quiz-statistics"),
    path(
        "quizzes/<int:quiz_id>/statistics/questions/",
        statistics.QuestionStatisticsView.as_view(),
        name="quiz-question-statistics",
    ),
    path("statistics/legal-areas/", statistics.LegalAreaStatisticsView.as_view(), name="legal-area-statistics"),
    path("attempts/<uuid:attempt_id>/", attempts.AttemptDetailView.as_view(), name="attempt-detail"),
    path(
        "attempts/<uuid:attempt_id>/answers/<int:question_id>/",
        attempts.SaveAnswerView.as_view(),
        name="attempt-answer",
    ),
    path("attempts/<uuid:attempt_id>/submit/", attempts.SubmitAttemptView.as_view(), name="attempt-submit"),
    path("results/", attempts.ResultListView.as_view(), name="result-list"),
    path("credentials/", credentials.CredentialListView.as_view(), name="credential-list"),
    path("credentials/<int:credential_id>/", credentials.CredentialDetailView.as_view(), name="credential-detail"),
    path(
        "credentials/<int:credential_id>/suspend/",
        credentials.SuspendCredentialView.as_view(),
        name="credential-suspend",
    ),
    path(
        "credentials/<int:credential_id>/revoke/", credentials.RevokeCredentialView.as_view(), name="credential-revoke"
    ),
    path("credentials/<int:credential_id>/renew/", credentials.RenewCredentialView.as_view(), name="credential-renew"),
    path(
        "credentials/<int:credential_id>/surrender/",
        credentials.SurrenderCredentialView.as_view(),
        name="credential-surrender",
    ),
    path(
        "credentials/<int:credential_id>/events/", credentials.CredentialEventsView.as_view(), name="credential-events"
    ),
    path(
        "public/credentials/<str:token_or_number>/",
        credentials.PublicCredentialView.as_view(),
        name="public-credential",
    ),
]
