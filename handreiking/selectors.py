"""Read-side page assembly shared by pages: the chapter outline under an age filter,
where a part of a chapter is named, and a theme's page.

The chapter page uses the outline today; the classroom mode and the whole-guide PDF
are meant to use the same outline, so it lives here and not in a view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch

from .agefilter import fits
from .models import (
    AgeGroup,
    Case,
    Chapter,
    GlossaryTerm,
    QuestionList,
    Section,
    Step,
    StepPlan,
    Theme,
)

PLAN_PREFETCH = [
    Prefetch("steps", queryset=Step.objects.order_by("order")),
    "organisations",
    "age_groups",
]
QUESTION_PREFETCH = ["questions", "age_groups", "themes"]

QUESTIONS = "questions"
PLAN = "plan"


@dataclass(frozen=True)
class Attachment:
    """A question list or step plan shown after a section; `kind` is QUESTIONS or PLAN."""

    kind: str
    item: QuestionList | StepPlan

    @property
    def is_questions(self) -> bool:
        return self.kind == QUESTIONS

    @property
    def is_plan(self) -> bool:
        return self.kind == PLAN


@dataclass
class Block:
    """One section of a chapter with the question lists and step plans shown right after it.

    `section` is None for the block before the first section (lists and plans placed
    after a section that the filter hides, when no earlier section is visible) and for
    the block after the last one (lists and plans placed after no section).
    `items` holds the lists and plans together, in the source's order; `question_lists`
    and `step_plans` are the same items by kind.
    """

    section: Section | None
    items: list[Attachment] = field(default_factory=list)

    @property
    def question_lists(self) -> list[QuestionList]:
        return [a.item for a in self.items if a.is_questions]

    @property
    def step_plans(self) -> list[StepPlan]:
        return [a.item for a in self.items if a.is_plan]


@dataclass
class ChapterOutline:
    chapter: Chapter
    blocks: list[Block]
    cases: list  # every case of the chapter, whatever the filter: they are its general text
    hidden_count: int  # sections, lists and plans the age filter hides


def chapter_outline(chapter: Chapter, age: AgeGroup | None) -> ChapterOutline:
    """The chapter's parts in the source's order, filtered by age group.

    A list or plan is shown after its section; when the filter hides that section, it
    moves up to the nearest visible section before it, so it never jumps past a later
    section. Within a block, lists and plans keep the order of the sections they were
    placed after, so one moved up from a hidden section follows the visible section's
    own. Lists and plans without a section come last, as in the source.

    Cases are never filtered here: in chapter 3 the cases and their advice *are* the
    chapter's text (the advice after Xavi's story holds for every age), so the chapter
    shows all of them, each with its age group. The case library filters them.
    """
    sections = list(chapter.sections.prefetch_related("age_groups").order_by("order", "title"))
    lists = list(chapter.question_lists.prefetch_related(*QUESTION_PREFETCH))
    plans = list(chapter.step_plans.prefetch_related(*PLAN_PREFETCH))
    cases = list(chapter.cases.prefetch_related("age_groups", "terms", "organisations"))

    leading = Block(section=None)
    trailing = Block(section=None)
    blocks: dict[int, Block] = {}
    home: dict[int, Block] = {}  # section id -> the visible block its attachments go to
    position: dict[int, int] = {}  # section id -> its place in the chapter
    current = leading
    for index, section in enumerate(sections):
        if fits(age, section.age_groups.all()):
            current = blocks[section.pk] = Block(section=section)
        home[section.pk] = current
        position[section.pk] = index

    hidden = len(sections) - len(blocks)
    placed: list[tuple[tuple, Block, Attachment]] = []
    for rank, (kind, items) in enumerate(((QUESTIONS, lists), (PLAN, plans))):
        for item in items:
            if not fits(age, item.age_groups.all()):
                hidden += 1
                continue
            block = home.get(item.section_id, trailing)
            where = position.get(item.section_id, len(sections))
            placed.append(((where, rank, item.order, item.title), block, Attachment(kind, item)))
    for _key, block, attachment in sorted(placed, key=lambda entry: entry[0]):
        block.items.append(attachment)

    ordered = [leading, *blocks.values(), trailing]
    return ChapterOutline(
        chapter=chapter,
        blocks=[b for b in ordered if b.section or b.items],
        cases=cases,
        hidden_count=hidden,
    )


# --- Where a part of a chapter is named ----------------------------------------------------------


@dataclass(frozen=True)
class PartLink:
    """A link to a part of a chapter, named by what the reader sees there.

    `named_by` is the part itself when the chapter page shows its title; else the
    nearest part above it whose title is shown; else the chapter. An untitled part's
    editorial title is for the admin only: it is no heading on the page.
    """

    section: Section
    named_by: Section | Chapter

    @property
    def chapter(self) -> Chapter:
        return self.section.chapter

    @property
    def anchor(self) -> str:
        return self.section.slug


def part_links(sections: list[Section]) -> list[PartLink]:
    """PartLinks for these sections (in the order given), one query per chapter involved."""
    chapters: dict[int, list[Section]] = {}
    for section in sections:
        chapters.setdefault(section.chapter_id, [])
    # Always one query, also when nothing is linked: a page's query count must not depend
    # on what it finds (an empty `__in` would skip the query).
    wanted = list(chapters) or [0]
    for sibling in Section.objects.filter(chapter_id__in=wanted).order_by("order", "title"):
        chapters[sibling.chapter_id].append(sibling)
    links = []
    for section in sections:
        named_by: Section | Chapter = section.chapter
        for sibling in chapters[section.chapter_id]:
            if sibling.show_title:
                named_by = sibling
            if sibling.pk == section.pk:
                break
        links.append(PartLink(section=section, named_by=named_by))
    return links


# --- A theme's page -------------------------------------------------------------------------------

TERM_MARKER = re.compile(r'data-term="([a-z0-9-]+)"')


@dataclass
class ThemePage:
    theme: Theme
    parts: list[PartLink]  # the chapter parts tagged with the theme, in reading order
    cases: list[Case]
    question_lists: list[QuestionList]
    step_plans: list[StepPlan]
    terms: list[GlossaryTerm]  # the terms those texts explain (linked or named)
    hidden_count: int  # tagged items the age filter hides

    @property
    def is_empty(self) -> bool:
        return not (self.parts or self.cases or self.question_lists or self.step_plans)


def theme_page(theme: Theme, age: AgeGroup | None) -> ThemePage:
    """Everything the guide has on one theme, from the tags the content carries."""
    sections = list(theme.section_set.select_related("chapter").prefetch_related("age_groups")
                    .order_by("chapter__number", "order", "title"))
    cases = list(theme.case_set.prefetch_related("age_groups", "terms").order_by("order"))
    lists = list(theme.questionlist_set.prefetch_related(*QUESTION_PREFETCH)
                 .select_related("chapter").order_by("order"))
    plans = list(theme.stepplan_set.prefetch_related("age_groups").order_by("order"))
    everything = [*sections, *cases, *lists, *plans]
    shown = [item for item in everything if fits(age, item.age_groups.all())]
    visible = set(map(id, shown))

    def kept(items):
        return [item for item in items if id(item) in visible]

    sections, cases, lists, plans = kept(sections), kept(cases), kept(lists), kept(plans)
    slugs: set[str] = set()
    for section in sections:
        slugs.update(TERM_MARKER.findall(section.body_html or ""))
    for case in cases:
        slugs.update(TERM_MARKER.findall((case.story_html or "") + (case.advice_html or "")))
        slugs.update(term.slug for term in case.terms.all())
    terms = sorted(GlossaryTerm.objects.filter(slug__in=slugs), key=lambda t: t.title.casefold())
    return ThemePage(theme=theme, parts=part_links(sections), cases=cases, question_lists=lists,
                     step_plans=plans, terms=terms, hidden_count=len(everything) - len(shown))
