"""The question bank for admins: list, create, read, edit, import, export."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..io import CONTENT_TYPES, FORMATS
from ..models import Question, QuestionStatus, QuestionType
from ..selectors.bank import questions as bank_questions
from ..services.bank import LETTERS, QuestionData, data_of
from .permissions import IsAdminRole


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    stem = serializers.CharField(source="current.stem")
    options = serializers.JSONField(source="current.options")
    answer = serializers.SerializerMethodField()
    explanation = serializers.CharField(source="current.explanation")
    legal_basis = serializers.CharField(source="current.legal_basis")
    tags = serializers.ListField(child=serializers.CharField())
    category = serializers.CharField()
    difficulty = serializers.IntegerField()
    status = serializers.CharField()
    version = serializers.IntegerField(source="current.number")
    updated_at = serializers.DateTimeField()

    def get_answer(self, obj) -> str | bool:
        """Letters of the correct options in order ("ABD"), or true/false."""
        data = data_of(obj)
        return data.answer if isinstance(data.answer, bool) else "".join(LETTERS[i] for i in sorted(data.answer))


class QuestionInputSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=QuestionType.choices)
    stem = serializers.CharField(max_length=4000)
    options = serializers.ListField(child=serializers.CharField(max_length=1000), required=False, default=list)
    answer = serializers.JSONField(help_text='Letters of the correct options ("ABD"), or true/false.')
    explanation = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    tags = serializers.ListField(child=serializers.CharField(max_length=64), required=False, default=list)
    category = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    difficulty = serializers.IntegerField(min_value=1, max_value=5, required=False, default=3)
    status = serializers.ChoiceField(choices=QuestionStatus.choices, required=False, default=QuestionStatus.ACTIVE)

    def validate_answer(self, value):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value and all(ch in LETTERS for ch in value.upper()):
            return [LETTERS.index(ch) for ch in value.upper()]
        raise serializers.ValidationError('Letters of the options ("ABD") or true/false.')

    def to_data(self) -> QuestionData:
        return QuestionData(**self.validated_data)


def _out(question, code=status.HTTP_200_OK) -> Response:
    question = Question.objects.select_related("current").get(pk=question.pk)
    return Response(QuestionSerializer(question).data, status=code)


class QuestionListView(ListAPIView):
    permission_classes = [IsAdminRole]
    serializer_class = QuestionSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("search", str, required=False),
            OpenApiParameter("tag", str, required=False),
            OpenApiParameter("type", str, required=False, enum=QuestionType.values),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return bank_questions(search=params.get("search", ""), tag=params.get("tag", ""), type=params.get("type", ""))

    @extend_schema(request=QuestionInputSerializer, responses={201: QuestionSerializer})
    def post(self, request):
        data = QuestionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.create_question(data=data.to_data(), actor=request.user)
        return _out(question, status.HTTP_201_CREATED)


class QuestionDetailView(APIView):
    permission_classes = [IsAdminRole]

    @extend_schema(responses={200: QuestionSerializer})
    def get(self, request, question_id: int):
        return _out(get_object_or_404(Question, pk=question_id))

    @extend_schema(request=QuestionInputSerializer, responses={200: QuestionSerializer})
    def patch(self, request, question_id: int):
        question = get_object_or_404(Question.objects.select_related("current"), pk=question_id)
        current = data_of(question)
        merged = {
            "type": current.type,
            "stem": current.stem,
            "options": current.options,
            "answer": current.answer
            if isinstance(current.answer, bool)
            else "".join(LETTERS[i] for i in current.answer),
            "explanation": current.explanation,
            "legal_basis": current.legal_basis,
            "tags": current.tags,
            "category": current.category,
            "difficulty": current.difficulty,
            "status": current.status,
        }
        merged.update({k: v for k, v in request.data.items() if k in merged})
        data = QuestionInputSerializer(data=merged)
        data.is_valid(raise_exception=True)
        question = services.update_question(question=question, data=data.to_data(), actor=request.user)
        return _out(question)


class QuestionImportView(APIView):
    """Import a file checked whole: 201 with what was created, or 400 ``import_invalid`` listing every bad line."""

    permission_classes = [IsAdminRole]
    parser_classes = [MultiPartParser, FormParser]

    class QuestionImportInputSerializer(serializers.Serializer):
        file = serializers.FileField()
        format = serializers.ChoiceField(choices=list(FORMATS))
        dry_run = serializers.BooleanField(required=False, default=False)

    class QuestionImportOutputSerializer(serializers.Serializer):
        created = serializers.IntegerField()
        ids = serializers.ListField(child=serializers.IntegerField())
        dry_run = serializers.BooleanField()
        checked = serializers.IntegerField()

    @extend_schema(
        request={"multipart/form-data": QuestionImportInputSerializer},
        responses={201: QuestionImportOutputSerializer, 200: QuestionImportOutputSerializer},
    )
    def post(self, request):
        data = self.QuestionImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        content = values["file"].read()
        items, errors = FORMATS[values["format"]].parse(content)
        ids = services.import_questions(items=items, errors=errors, dry_run=values["dry_run"], actor=request.user)
        body = {"created": len(ids), "ids": ids, "dry_run": values["dry_run"], "checked": len(items)}
        return Response(body, status=status.HTTP_200_OK if values["dry_run"] else status.HTTP_201_CREATED)


class _FormatIsAFileType(DefaultContentNegotiation):
    """``?format=`` names the file to export here (API.md), not a DRF renderer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type


class QuestionExportView(APIView):
    permission_classes = [IsAdminRole]
    content_negotiation_class = _FormatIsAFileType

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=list(FORMATS), required=False),
            OpenApiParameter("tag", str, required=False),
            OpenApiParameter("type", str, required=False),
        ],
        responses={200: OpenApiTypes.BINARY},
    )
    def get(self, request):
        fmt = request.query_params.get("format", "xlsx")
        if fmt not in FORMATS:
            raise serializers.ValidationError({"format": [f"one of {', '.join(FORMATS)}"]})
        questions = bank_questions(tag=request.query_params.get("tag", ""), type=request.query_params.get("type", ""))
        content = FORMATS[fmt].export(questions.order_by("category", "id"))
        content_type, extension = CONTENT_TYPES[fmt]
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="questions.{extension}"'
        return response
