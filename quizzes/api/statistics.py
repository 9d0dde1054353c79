"""Statistics for admins (scoped to their subtree when they have one)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from training.selectors import scope_department_ids

from ..models import Quiz
from ..selectors import statistics
from .permissions import IsAdminRole


class QuizStatisticsView(APIView):
    """Per quiz: attempts, mean, median, pass rate and the score distribution."""

    permission_classes = [IsAdminRole]

    @extend_schema(
        responses={
            200: inline_serializer(
                "QuizStatistics",
                {
                    "quiz": serializers.IntegerField(),
                    "title": serializers.CharField(),
                    "attempts": serializers.IntegerField(),
                    "passed": serializers.IntegerField(),
                    "pass_rate": serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True),
                    "mean": serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True),
                    "median": serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True),
                    "distribution": serializers.ListField(child=serializers.DictField()),
                },
            )
        }
    )
    def get(self, request, quiz_id: int):
        quiz = get_object_or_404(Quiz, pk=quiz_id)
        data = statistics.quiz_statistics(quiz=quiz, department_ids=scope_department_ids(request.user))
        return Response(
            {
                **data,
                **{
                    k: (str(v) if v is not None else None)
                    for k, v in data.items()
                    if k in {"pass_rate", "mean", "median"}
                },
            }
        )


class QuestionStatisticsView(APIView):
    """Per question of a quiz: facility and discrimination index."""

    permission_classes = [IsAdminRole]

    class QuestionStatisticsOutputSerializer(serializers.Serializer):
        question_id = serializers.IntegerField()
        stem = serializers.CharField()
        type = serializers.CharField()
        tags = serializers.ListField(child=serializers.CharField())
        attempts = serializers.IntegerField()
        facility_index = serializers.DecimalField(max_digits=6, decimal_places=2)
        discrimination_index = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)

    @extend_schema(responses={200: QuestionStatisticsOutputSerializer(many=True)})
    def get(self, request, quiz_id: int):
        quiz = get_object_or_404(Quiz, pk=quiz_id)
        rows = statistics.question_statistics(quiz=quiz, department_ids=scope_department_ids(request.user))
        return Response(self.QuestionStatisticsOutputSerializer(rows, many=True).data)


class LegalAreaStatisticsView(APIView):
    """Per legal area: the mean share earned and the weakest departments."""

    permission_classes = [IsAdminRole]

    class LegalAreaStatisticsDepartmentSerializer(serializers.Serializer):
        department = serializers.IntegerField()
        name = serializers.CharField()
        answers = serializers.IntegerField()
        facility = serializers.DecimalField(max_digits=6, decimal_places=2)

    class LegalAreaStatisticsInputSerializer(serializers.Serializer):
        quiz = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
        year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)

    class LegalAreaStatisticsOutputSerializer(serializers.Serializer):
        legal_area = serializers.CharField()
        answers = serializers.IntegerField()
        facility = serializers.DecimalField(max_digits=6, decimal_places=2)
        weakest_departments = serializers.ListField(child=serializers.DictField())

    @extend_schema(
        parameters=[OpenApiParameter("quiz", int, required=False), OpenApiParameter("year", int, required=False)],
        responses={200: LegalAreaStatisticsOutputSerializer(many=True)},
    )
    def get(self, request):
        params = self.LegalAreaStatisticsInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        quiz = get_object_or_404(Quiz, pk=params.validated_data["quiz"]) if "quiz" in params.validated_data else None
        year = params.validated_data.get("year")
        rows = statistics.legal_area_statistics(quiz=quiz, year=year, department_ids=scope_department_ids(request.user))
        for row in rows:
            row["weakest_departments"] = self.LegalAreaStatisticsDepartmentSerializer(
                row["weakest_departments"], many=True
            ).data
        return Response(self.LegalAreaStatisticsOutputSerializer(rows, many=True).data)
