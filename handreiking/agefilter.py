"""The per-age-group filter: one GET parameter (?age=<slug>) honoured on every page."""

from __future__ import annotations

from collections.abc import Iterable

from . import page_parameters
from .models import AgeGroup

AGE_PARAM = page_parameters.AGE


def all_age_groups(request) -> list[AgeGroup]:
    """All age groups, fetched once per request."""
    if not hasattr(request, "_age_groups"):
        request._age_groups = list(AgeGroup.objects.all())
    return request._age_groups


def selected_age_group(request) -> AgeGroup | None:
    """The age group chosen in the URL, as `page_parameters` read it (a valid slug or none)."""
    value = page_parameters.of(request).get(AGE_PARAM)
    if not value:
        return None
    return next((group for group in all_age_groups(request) if group.slug == value), None)


def fits(age_group: AgeGroup | None, item_groups: Iterable[AgeGroup]) -> bool:
    """Untagged items are for every age; tagged items show only for their own groups."""
    if age_group is None:
        return True
    slugs = {group.slug for group in item_groups}
    return not slugs or age_group.slug in slugs
