"""The default search and ordering filters, safe for views whose rows are not a queryset.

Some lists (the quizzes an officer may take, with their per-person figures)
are built in Python; DRF's filters would call ``.filter``/``.order_by`` on
them and answer a 500 for any ``?search=`` or ``?ordering=``. These leave
such lists as they are.
"""

from django.db.models import QuerySet
from rest_framework import filters


class SearchFilter(filters.SearchFilter):
    def filter_queryset(self, request, queryset, view):
        if not isinstance(queryset, QuerySet):
            return queryset
        return super().filter_queryset(request, queryset, view)


class OrderingFilter(filters.OrderingFilter):
    def filter_queryset(self, request, queryset, view):
        if not isinstance(queryset, QuerySet):
            return queryset
        return super().filter_queryset(request, queryset, view)
