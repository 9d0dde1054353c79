"""Reads of the training app that other code may rely on (re-exported here: ``training.selectors``)."""

from .people import (
    audience_includes,
    audience_members,
    hours_earned,
    in_scope,
    people_in_scope,
    person_for,
    scope_department_ids,
    subtree_ids,
)
from .progress import (
    Progress,
    RuleProgress,
    department_rollup,
    legal_hours,
    people_behind_pace,
    progress,
    progress_for_people,
)
from .sessions import (
    audience_ids_including,
    organisation_targets,
    sessions_starting_between,
    sessions_visible_to,
    upcoming_sessions_for,
)

__all__ = [
    "Progress",
    "RuleProgress",
    "audience_ids_including",
    "audience_includes",
    "audience_members",
    "department_rollup",
    "hours_earned",
    "in_scope",
    "legal_hours",
    "organisation_targets",
    "people_behind_pace",
    "people_in_scope",
    "person_for",
    "progress",
    "progress_for_people",
    "scope_department_ids",
    "sessions_starting_between",
    "sessions_visible_to",
    "subtree_ids",
    "upcoming_sessions_for",
]
