"""Load the guide from Markdown files into the database: validate all, then write all."""

from django.core.management.base import CommandError

from handreiking.files.loader import ContentConflictError, load_content
from handreiking.files.records import ContentValidationError
from handreiking.management.content_command import ContentCommand


class Command(ContentCommand):
    help = (
        "Validate every file under PATH (default: content/) and, only when all are valid, "
        "create, update and delete rows to match them in one transaction."
    )

    dry_run_help = "Validate and report what would change; write nothing."
    force_help = "Overwrite or delete items that were changed in the admin."

    def handle(self, *args, **options):
        try:
            report = load_content(root=self.content_root(options), dry_run=options["dry_run"],
                                  force=options["force"])
        except ContentValidationError as exc:
            self.refuse_invalid_files(exc, "found; nothing was loaded.")
        except ContentConflictError as exc:
            for conflict in exc.conflicts:
                self.stderr.write(conflict)
            raise CommandError(
                f"{len(exc.conflicts)} item(s) were edited in the admin since the last load; "
                "nothing was loaded. Copy those edits into the content files, or run again with "
                "--force to overwrite them."
            ) from None

        verbosity = options["verbosity"]
        if verbosity >= 1:
            for kind, counts in report.counts.items():
                self.stdout.write(
                    f"{kind:14} {counts.total:4} in files: {counts.created} created, "
                    f"{counts.updated} updated, {counts.deleted} deleted, "
                    f"{counts.unchanged} unchanged"
                )
            for label in report.deleted:
                self.stdout.write(f"deleted: {label}")
            for label in report.overwritten:
                self.stdout.write(f"overwrote admin edit: {label}")
            for warning in report.warnings:
                self.stdout.write(f"warning: {warning}")
            for language, count in report.missing_translations.items():
                self.stdout.write(f"missing {language} translations: {count} field(s)")
        prefix = "Dry run: would make" if report.dry_run else "Loaded with"
        if report.changes:
            message = f"{prefix} {report.changes} change(s)."
            if report.rerendered:
                message += f" Re-rendered {report.rerendered} item(s)."
        elif report.rerendered:
            message = (f"No file changes; re-rendered {report.rerendered} item(s) whose stored "
                       "HTML was out of date.")
        elif report.indexed:
            message = (f"No file changes; re-indexed {report.indexed} search document(s) made "
                       "by an older analysis of words.")
        else:
            message = "No changes: the database already matches the content files."
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(message))
