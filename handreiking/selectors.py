"""Read-side page assembly shared by pages: the chapter outline under an age filter.

The chapter page uses it today; the classroom mode and the whole-guide PDF are meant
to use the same outline, so it lives here and not in a view.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from .agefilter import fits
from .models import AgeGroup, Chapter, QuestionList, Section, Step, StepPlan

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
