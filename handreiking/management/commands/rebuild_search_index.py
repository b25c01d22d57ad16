"""Rebuild the search index from the content in the database."""

from django.core.management.base import BaseCommand

from handreiking.search import get_backend, rebuild_index


class Command(BaseCommand):
    help = "Recreate every search document and the vocabulary from the content rows."

    def handle(self, *args, **options):
        count = rebuild_index()
        if options["verbosity"] >= 1:
            backend = type(get_backend()).__name__
            self.stdout.write(self.style.SUCCESS(f"Indexed {count} documents ({backend})."))
