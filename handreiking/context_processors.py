"""Template context shared by every page: the age-group filter, and whether it is a preview."""

from django.utils.functional import SimpleLazyObject

from .agefilter import AGE_PARAM, all_age_groups, selected_age_group


def site(request):
    # Lazy, so pages that never show the filter (admin, robots.txt) run no query for it.
    return {
        "age_param": AGE_PARAM,
        "age_groups": SimpleLazyObject(lambda: all_age_groups(request)),
        "selected_age": SimpleLazyObject(lambda: selected_age_group(request)),
        # "?age=<slug>" for links that should keep the chosen age group, else "".
        "age_qs": SimpleLazyObject(lambda: _age_query(request)),
        # An editor's unsaved edit, rendered by handreiking.preview: say so on the page.
        "is_preview": getattr(request, "is_preview", False),
    }


def _age_query(request) -> str:
    group = selected_age_group(request)
    return f"?{AGE_PARAM}={group.slug}" if group else ""
