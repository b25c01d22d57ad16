"""App configuration for the guide's content and pages."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _editor_group_in_step(sender, **kwargs) -> None:
    from .roles import ensure_editor_group

    ensure_editor_group()


class HandreikingConfig(AppConfig):
    name = "handreiking"
    verbose_name = _("Handreiking online weerbaarheid")

    def ready(self) -> None:
        from .history import register_content_models

        register_content_models()  # also where the admin is not loaded (admin.py does it too)
        # After every migrate (and every flush of a test database), after auth has made
        # this app's permissions: the Redacteur group holds exactly roles.EDITED_MODELS'.
        post_migrate.connect(_editor_group_in_step, sender=self,
                             dispatch_uid="handreiking-editor-group")
