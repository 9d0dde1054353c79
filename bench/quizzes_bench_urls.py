"""The project's routes plus the baseline of DESIGN.md's budget: a bare DRF
endpoint doing one SELECT by key and one INSERT (no authentication)."""

from django.db import connection
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as project_urlpatterns


class BaselineView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def put(self, request, key: int):
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, title FROM quizzes_quiz WHERE id = %s", [key])
            row = cursor.fetchone()
            cursor.execute(
                "INSERT INTO bench_baseline (k, value) VALUES (%s, %s) RETURNING id", [key, str(request.data)[:100]]
            )
            new_id = cursor.fetchone()[0]
        return Response({"id": new_id, "found": row is not None})


urlpatterns = [path("bench/baseline/<int:key>/", BaselineView.as_view(), name="bench-baseline"), *project_urlpatterns]
