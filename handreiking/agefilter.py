"""The per-age-group filter: one GET parameter (?age=<slug>) honoured on every page."""

from __future__ import annotations

from collections.abc import Iterable

from . import page_parameters
from .models import AgeGroup

AGE_PARAM = page_parameters.AGE


def all_age_groups(request) -> list[AgeGroup]:
    """All age groups: those of the content version this request's parameters were read
    in (no query), else fetched once per request."""
    if not hasattr(request, "_age_groups"):
        reading = page_parameters.of(request)
        known = page_parameters.current_valid_values()
        if reading is not page_parameters.NOTHING and known is not None \
                and known.version == reading.version:
            request._age_groups = list(known.age_groups)
        else:
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
