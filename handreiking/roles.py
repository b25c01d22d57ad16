"""The editor role: who may change the guide in the admin, declared once.

Editors ("Redacteur") view, add, change and delete the guide's content and synonyms.
They never reach users, groups or lockout records: those stay with superusers, the
site's administrators. The migration that creates the group and `createeditor` both
use `ensure_editor_group`, so the group always holds exactly these permissions.
"""

from __future__ import annotations

EDITOR_GROUP = "Redacteur"
APP_LABEL = "handreiking"
# Model names (lowercase, as in permissions) of what editors keep current. The derived
# models (search index, content version) are written by the publisher alone.
EDITED_MODELS = ("agegroup", "theme", "glossaryterm", "synonym", "helporganisation",
                 "chapter", "section", "case", "questionlist", "question", "stepplan", "step")
ACTIONS = ("view", "add", "change", "delete")


def editor_codenames() -> set[str]:
    return {f"{action}_{model}" for model in EDITED_MODELS for action in ACTIONS}


def ensure_editor_group(apps=None, *, make_permissions: bool = False):
    """The Redacteur group with exactly the editor permissions (created if missing).

    `apps` is a migration's historical registry; without it, the live one. Django makes
    permissions after migrating, so the migration asks for them to be made first
    (`make_permissions`); afterwards they exist, and `post_migrate` (also sent after a
    test database is flushed) brings the group back in step.
    """
    if apps is None:
        from django.apps import apps
    if make_permissions:
        from django.contrib.auth.management import create_permissions

        for config in apps.get_app_configs():
            config.models_module = True
            create_permissions(config, verbosity=0, apps=apps)
            config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _created = group_model.objects.get_or_create(name=EDITOR_GROUP)
    permissions = permission_model.objects.filter(content_type__app_label=APP_LABEL,
                                                  codename__in=editor_codenames())
    group.permissions.set(permissions)
    return group
