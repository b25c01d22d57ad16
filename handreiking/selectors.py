"""Read-side page assembly shared by pages: the chapter outline under an age filter.

The chapter page uses it today; the classroom mode and the whole-guide PDF are meant
to use the same outline, so it lives here and not in a view.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from .agefilter import fits
from .models import AgeGroup, Chapter, Section, Step

PLAN_PREFETCH = [
    Prefetch("steps", queryset=Step.objects.order_by("order")),
    "organisations",
    "age_groups",
]
QUESTION_PREFETCH = ["questions", "age_groups", "themes"]


@dataclass
class Block:
    """One section of a chapter with the question lists and step plans shown right after it.

    `section` is None for the block before the first section (lists and plans placed
    after a section that the filter hides, when no earlier section is visible).
    """

    section: Section | None
    question_lists: list = field(default_factory=list)
    step_plans: list = field(default_factory=list)


@dataclass
class ChapterOutline:
    chapter: Chapter
    blocks: list[Block]
    cases: list
    hidden_count: int  # sections, lists, plans and cases the age filter hides


def chapter_outline(chapter: Chapter, age: AgeGroup | None) -> ChapterOutline:
    """The chapter's parts in the source's order, filtered by age group.

    A list or plan is shown after its section; when the filter hides that section, it
    moves up to the nearest visible section before it, so it never jumps to the end
    of the chapter. Lists and plans without a section come last, as in the source.
    """
    sections = list(chapter.sections.prefetch_related("age_groups").order_by("order", "title"))
    lists = list(chapter.question_lists.prefetch_related(*QUESTION_PREFETCH))
    plans = list(chapter.step_plans.prefetch_related(*PLAN_PREFETCH))
    cases = list(chapter.cases.prefetch_related("age_groups"))

    leading = Block(section=None)
    blocks: dict[int, Block] = {}
    home: dict[int, Block] = {}  # section id -> the visible block its attachments go to
    current = leading
    for section in sections:
        if fits(age, section.age_groups.all()):
            current = blocks[section.pk] = Block(section=section)
        home[section.pk] = current
    trailing = Block(section=None)
    hidden = len(sections) - len(blocks)
    for question_list in lists:
        if fits(age, question_list.age_groups.all()):
            home.get(question_list.section_id, trailing).question_lists.append(question_list)
        else:
            hidden += 1
    for plan in plans:
        if fits(age, plan.age_groups.all()):
            home.get(plan.section_id, trailing).step_plans.append(plan)
        else:
            hidden += 1
    shown_cases = [case for case in cases if fits(age, case.age_groups.all())]
    hidden += len(cases) - len(shown_cases)
    ordered = [leading, *blocks.values(), trailing]
    return ChapterOutline(
        chapter=chapter,
        blocks=[b for b in ordered if b.section or b.question_lists or b.step_plans],
        cases=shown_cases,
        hidden_count=hidden,
    )
