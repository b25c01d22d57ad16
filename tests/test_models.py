"""Models: readable names, URLs that resolve, ordering, named constraints."""

from http import HTTPStatus

import pytest
from django.db import IntegrityError, transaction

from handreiking.models import (
    AgeGroup,
    Case,
    Chapter,
    GlossaryTerm,
    HelpOrganisation,
    QuestionList,
    Section,
    StepPlan,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", [Chapter, Section, Case, GlossaryTerm, HelpOrganisation, QuestionList, StepPlan]
)
def test_every_item_has_a_working_url(client, loaded, model):
    for obj in model.objects.all():
        url = obj.get_absolute_url()
        response = client.get(url.split("#")[0])
        assert response.status_code == HTTPStatus.OK, url


def test_str_is_the_title(loaded):
    assert str(GlossaryTerm.objects.get(slug="grooming")) == "Grooming"
    assert str(Chapter.objects.get(number=1)).startswith("1. Waarom")


def test_chapters_are_ordered_by_number_and_sections_by_order(loaded):
    assert list(Chapter.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6, 7]
    orders = list(Chapter.objects.get(number=4).sections.values_list("order", flat=True))
    assert orders == sorted(orders)


def test_glossary_is_alphabetical(loaded):
    titles = list(GlossaryTerm.objects.values_list("title", flat=True))
    assert titles == sorted(titles)


def test_age_groups_are_ordered_by_age(loaded):
    assert list(AgeGroup.objects.values_list("slug", flat=True)) == [
        "kleuters", "middenbouw", "bovenbouw"]


def test_section_slug_is_unique_per_chapter(loaded):
    section = Section.objects.filter(chapter__number=1).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(chapter=section.chapter, slug=section.slug, title_nl="Dubbel")
    Section.objects.create(chapter=Chapter.objects.get(number=2), slug=section.slug,
                           title_nl="Andere plek")


def test_age_group_min_age_cannot_exceed_max_age(db):
    with pytest.raises(IntegrityError):
        AgeGroup.objects.create(slug="x", title_nl="X", min_age=9, max_age=3,
                                school_groups_nl="groep 1")


def test_phone_link_keeps_only_digits(loaded):
    assert HelpOrganisation.objects.get(slug="113").phone_uri == "tel:08000113"
