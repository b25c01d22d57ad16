"""App configuration for the guide's content and pages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandreikingConfig(AppConfig):
    name = "handreiking"
    verbose_name = _("Handreiking online weerbaarheid")
