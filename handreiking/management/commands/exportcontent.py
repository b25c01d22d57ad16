"""Write the database back into the content files, changing only what differs."""

from django.core.management.base import CommandError

from handreiking.files.exporter import ExportConflictError, export_content
from handreiking.files.records import ContentValidationError
from handreiking.management.content_command import ContentCommand


class Command(ContentCommand):
    help = (
        "Write every item (both languages) and the synonyms into the files under PATH "
        "(default: content/) in the format loadcontent reads. Files that already match are "
        "left as they are; in an edited file only the changed lines are rewritten."
    )

    dry_run_help = "List the files that would change; write nothing."
    force_help = "Overwrite files that were changed on disk since the last load."

    def handle(self, *args, **options):
        try:
            report = export_content(root=self.content_root(options), dry_run=options["dry_run"],
                                    force=options["force"])
        except ContentValidationError as exc:
            self.refuse_invalid_files(exc, "in the files on disk; nothing was exported. Fix "
                                           "them (or load them) first.")
        except ExportConflictError as exc:
            for conflict in exc.conflicts:
                self.stderr.write(conflict)
            raise CommandError(
                f"{len(exc.conflicts)} file(s) changed on disk since the last load; nothing was "
                "exported. Load them first (loadcontent), or run again with --force to "
                "overwrite them with the database."
            ) from None
        verb = "would write" if report.dry_run else "wrote"
        if options["verbosity"] >= 1:
            for path in report.written:
                self.stdout.write(f"{verb}: {path}")
            for path in report.removed:
                self.stdout.write(f"{'would remove' if report.dry_run else 'removed'}: {path}")
            if report.changes:
                prefix = "Dry run: would change" if report.dry_run else "Exported:"
                self.stdout.write(self.style.SUCCESS(
                    f"{prefix} {len(report.written)} file(s) written, {len(report.removed)} "
                    f"removed; {report.unchanged} item(s) already matched their files."))
            else:
                self.stdout.write(self.style.SUCCESS(
                    f"No changes: all {report.unchanged} item(s) and the synonyms already match "
                    "the files."))
