"""What loadcontent and exportcontent share: the folder argument, --dry-run and --force,
and how a problem in the files is reported (one line per problem, then a non-zero exit)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from handreiking.files.records import ContentValidationError


class ContentCommand(BaseCommand):
    dry_run_help = ""
    force_help = ""

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None,
                            help="Folder with the content files (default: content/).")
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)
        parser.add_argument("--force", action="store_true", help=self.force_help)

    def content_root(self, options) -> Path:
        root = Path(options["path"]) if options["path"] else Path(settings.CONTENT_DIR)
        return root.resolve()

    def refuse_invalid_files(self, error: ContentValidationError, consequence: str):
        for problem in error.errors:
            self.stderr.write(str(problem))
        raise CommandError(f"{len(error.errors)} problem(s) {consequence}")
