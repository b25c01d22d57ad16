"""Re-render stored HTML, rebuild search and bump the content version (after an upgrade)."""

from django.core.management.base import BaseCommand

from handreiking import publishing


class Command(BaseCommand):
    help = (
        "Bring everything derived from the content up to date: re-render every item's HTML "
        "(a new version may render differently), rebuild the search index and bump the "
        "content version so cached pages refresh. Changes no editor's text."
    )

    def handle(self, *args, **options):
        report = publishing.publish()
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(
                f"Re-rendered {report.rendered} item(s); indexed {report.documents} search "
                f"documents; content version {report.version}."))
