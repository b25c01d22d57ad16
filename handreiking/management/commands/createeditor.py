"""Create an editor: a staff account in the Redacteur group, never a superuser."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from handreiking.roles import EDITOR_GROUP, ensure_editor_group

PASSWORD_VARIABLE = "DJANGO_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        f"Create an editor account: staff, in the {EDITOR_GROUP} group (content and synonyms, "
        "no users, groups or lockouts). Asks for the password, or reads it from "
        f"{PASSWORD_VARIABLE} with --no-input."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--no-input", action="store_false", dest="interactive",
                            help=f"take the password from {PASSWORD_VARIABLE}")

    def handle(self, *args, username, email, interactive, **options):
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account named {username!r}; nothing "
                               "was changed.")
        password = self._password(interactive)
        candidate = user_model(username=username, email=email)
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            raise CommandError("The password is not accepted: " + " ".join(error.messages)
                               ) from None
        with transaction.atomic():
            user = user_model.objects.create_user(username, email=email, password=password,
                                                  is_staff=True)
            user.groups.add(ensure_editor_group())
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(
                f"Editor {username!r} created ({EDITOR_GROUP}); log in at the admin."))

    def _password(self, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(f"--no-input needs the password in {PASSWORD_VARIABLE}.")
            return password
        if not self.stdin_is_interactive():
            raise CommandError(f"Not a terminal: pass --no-input and set {PASSWORD_VARIABLE}.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was created.")
        return password

    @staticmethod
    def stdin_is_interactive() -> bool:
        import sys

        return sys.stdin.isatty()
