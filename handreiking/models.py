"""The guide's content as data: chapters, cases, glossary, organisations, plans, questions."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ContentItem(models.Model):
    """Fields every item loaded from `content/` carries.

    `loaded_hash` is the fingerprint of what `loadcontent` last wrote; when the
    row's current fingerprint differs, someone edited it in the admin since, and
    the loader refuses to overwrite it without --force.
    """

    slug = models.SlugField(_("slug"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    order = models.PositiveIntegerField(_("order"), default=0)
    source_path = models.CharField(
        _("source file"),
        max_length=500,
        blank=True,
        help_text=_("The content file this item was loaded from; empty if created in the admin."),
    )
    loaded_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Markdown source field -> stored HTML field; rendered once on save/load.
    MARKDOWN_FIELDS: dict[str, str] = {}

    class Meta:
        abstract = True
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class AgeGroup(ContentItem):
    min_age = models.PositiveSmallIntegerField(_("minimum age"))
    max_age = models.PositiveSmallIntegerField(_("maximum age"))
    school_groups = models.CharField(_("school groups"), max_length=60)
    description = models.TextField(_("description"), blank=True)

    class Meta(ContentItem.Meta):
        verbose_name = _("age group")
        verbose_name_plural = _("age groups")
        ordering = ["min_age", "order"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="agegroup_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(min_age__lte=models.F("max_age")),
                name="agegroup_min_age_not_above_max_age",
            ),
        ]


class Theme(ContentItem):
    description = models.TextField(_("description"), blank=True)

    class Meta(ContentItem.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [models.UniqueConstraint(fields=["slug"], name="theme_unique_slug")]

    def get_absolute_url(self) -> str:
        return reverse("handreiking:case-list") + f"?theme={self.slug}"


class Tagged(models.Model):
    """Age groups and themes: what the age filter and the theme filter look at.

    An item without age groups is for every age.
    """

    age_groups = models.ManyToManyField(AgeGroup, blank=True, verbose_name=_("age groups"))
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"))

    class Meta:
        abstract = True


class GlossaryTerm(ContentItem):
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Other words the guide uses for this term, one per line."),
    )
    body = models.TextField(_("definition"))
    body_html = models.TextField(editable=False, blank=True)
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name=_("related terms")
    )

    MARKDOWN_FIELDS = {"body": "body_html"}

    class Meta(ContentItem.Meta):
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="glossaryterm_unique_slug")]

    def get_absolute_url(self) -> str:
        return reverse("handreiking:glossary-detail", kwargs={"slug": self.slug})

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in (self.aliases or "").splitlines() if line.strip()]


class HelpOrganisation(ContentItem):
    class Category(models.TextChoices):
        ACUTE = "acute", _("Right now: talk to someone")
        ONLINE_ABUSE = "online-abuse", _("Online abuse and images")
        VICTIM_SUPPORT = "victim-support", _("Support for victims")
        REPORTING = "reporting", _("Reporting")
        INFORMATION = "information", _("Information and advice")

    class Audience(models.TextChoices):
        CHILDREN = "children", _("children")
        PARENTS = "parents", _("parents")
        SCHOOLS = "schools", _("schools")
        EVERYONE = "everyone", _("everyone")

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    in_appendix = models.BooleanField(_("listed in the appendix"), default=False)
    sources = models.JSONField(
        _("sources of contact details"),
        default=dict,
        blank=True,
        help_text=_("Where each contact detail comes from, e.g. {\"phone\": \"…\"}."),
    )
    body = models.TextField(_("what they help with"))
    body_html = models.TextField(editable=False, blank=True)

    MARKDOWN_FIELDS = {"body": "body_html"}

    class Meta(ContentItem.Meta):
        verbose_name = _("help organisation")
        verbose_name_plural = _("help organisations")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="helporganisation_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(
                    category__in=["acute", "online-abuse", "victim-support", "reporting",
                                  "information"]
                ),
                name="helporganisation_known_category",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("handreiking:organisation-list") + f"#{self.slug}"

    @property
    def is_acute(self) -> bool:
        return self.category == self.Category.ACUTE

    @property
    def phone_uri(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""

    def get_audience_labels(self) -> list[str]:
        labels = dict(self.Audience.choices)
        return [str(labels[a]) for a in self.audiences if a in labels]


class Chapter(ContentItem):
    number = models.PositiveSmallIntegerField(_("number"))
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(_("introduction"), blank=True)
    body_html = models.TextField(editable=False, blank=True)

    MARKDOWN_FIELDS = {"body": "body_html"}

    class Meta(ContentItem.Meta):
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="chapter_unique_slug"),
            models.UniqueConstraint(fields=["number"], name="chapter_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("handreiking:chapter-detail", kwargs={"slug": self.slug})


class Section(Tagged, ContentItem):
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="sections", verbose_name=_("chapter")
    )
    show_title = models.BooleanField(
        _("show title"),
        default=True,
        help_text=_("Off for a part that continues the previous section without its own heading."),
    )
    body = models.TextField(_("text"), blank=True)
    body_html = models.TextField(editable=False, blank=True)

    MARKDOWN_FIELDS = {"body": "body_html"}

    class Meta(ContentItem.Meta):
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["chapter__number", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "slug"],
                                    name="section_unique_slug_per_chapter")
        ]

    def get_absolute_url(self) -> str:
        return self.chapter.get_absolute_url() + f"#{self.slug}"


class Case(Tagged, ContentItem):
    name = models.CharField(_("child's name"), max_length=60)
    age = models.PositiveSmallIntegerField(_("age"))
    summary = models.CharField(_("summary"), max_length=400)
    chapter = models.ForeignKey(
        Chapter, on_delete=models.PROTECT, related_name="cases", verbose_name=_("chapter")
    )
    story = models.TextField(_("story"))
    story_html = models.TextField(editable=False, blank=True)
    advice = models.TextField(_("advice for the teacher"))
    advice_html = models.TextField(editable=False, blank=True)
    terms = models.ManyToManyField(GlossaryTerm, blank=True, verbose_name=_("glossary terms"))
    organisations = models.ManyToManyField(
        HelpOrganisation, blank=True, verbose_name=_("help organisations")
    )

    MARKDOWN_FIELDS = {"story": "story_html", "advice": "advice_html"}

    class Meta(ContentItem.Meta):
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="case_unique_slug"),
            models.CheckConstraint(condition=models.Q(age__lte=18), name="case_child_age"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("handreiking:case-detail", kwargs={"slug": self.slug})


class QuestionList(Tagged, ContentItem):
    class Kind(models.TextChoices):
        QUESTIONS = "questions", _("Discussion questions")
        SCENARIOS = "scenarios", _("Classroom situations")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    chapter = models.ForeignKey(
        Chapter, on_delete=models.PROTECT, related_name="question_lists", verbose_name=_("chapter")
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="question_lists",
        verbose_name=_("shown after section"),
    )
    body = models.TextField(_("introduction"), blank=True)
    body_html = models.TextField(editable=False, blank=True)

    MARKDOWN_FIELDS = {"body": "body_html"}

    class Meta(ContentItem.Meta):
        verbose_name = _("question list")
        verbose_name_plural = _("question lists")
        ordering = ["chapter__number", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="questionlist_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["questions", "scenarios"]),
                name="questionlist_known_kind",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("handreiking:questionlist-list") + f"#{self.slug}"


class Question(models.Model):
    question_list = models.ForeignKey(
        QuestionList, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("question"))
    text_html = models.TextField(editable=False, blank=True)

    MARKDOWN_FIELDS = {"text": "text_html"}
    INLINE_MARKDOWN = True

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["question_list", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["question_list", "order"], name="question_unique_order_per_list"
            )
        ]

    def __str__(self) -> str:
        return self.text


class StepPlan(Tagged, ContentItem):
    class Kind(models.TextChoices):
        VICTIM = "victim", _("Steps for a victim")
        INCIDENT = "incident", _("School incident plan")
        PREVENTION = "prevention", _("School prevention plan")
        CHILD_TIPS = "child-tips", _("Tips for children")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    chapter = models.ForeignKey(
        Chapter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="step_plans",
        verbose_name=_("chapter"),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="step_plans",
        verbose_name=_("shown after section"),
    )
    body = models.TextField(_("introduction"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    organisations = models.ManyToManyField(
        HelpOrganisation, blank=True, verbose_name=_("organisations to contact")
    )

    MARKDOWN_FIELDS = {"body": "body_html"}

    class Meta(ContentItem.Meta):
        verbose_name = _("step plan")
        verbose_name_plural = _("step plans")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="stepplan_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["victim", "incident", "prevention", "child-tips"]),
                name="stepplan_known_kind",
            ),
        ]

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.CHILD_TIPS:
            return reverse("handreiking:child-tips")
        return reverse("handreiking:stepplan-detail", kwargs={"slug": self.slug})


class Step(models.Model):
    plan = models.ForeignKey(StepPlan, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=400)
    body = models.TextField(_("text"), blank=True)
    body_html = models.TextField(editable=False, blank=True)

    MARKDOWN_FIELDS = {"body": "body_html"}

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="step_unique_order_per_plan")
        ]

    def __str__(self) -> str:
        return self.title


class SearchDocument(models.Model):
    """One searchable unit (a section, a term, a step …) in one language, rebuilt from content.

    Derived data: `search.rebuild_index()` recreates it from the content rows, so it is
    never edited. The backends add their own index over it (FTS5 table or tsvector).
    """

    class Kind(models.TextChoices):
        CHAPTER = "chapter", _("Chapter")
        SECTION = "section", _("Section")
        CASE = "case", _("Case")
        TERM = "term", _("Glossary term")
        ORGANISATION = "organisation", _("Help organisation")
        STEP_PLAN = "stepplan", _("Step plan")
        STEP = "step", _("Step")
        QUESTIONS = "questions", _("Discussion questions")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    language = models.CharField(max_length=8, help_text="The language of this text.")
    visible_in = models.CharField(
        max_length=40, help_text="Languages whose search shows it (untranslated text: both)."
    )
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=400)
    context = models.CharField(max_length=400, blank=True)
    extra = models.TextField(blank=True)
    body = models.TextField(blank=True)
    age_groups = models.CharField(max_length=200, blank=True)
    term_slug = models.CharField(max_length=120, blank=True)
    # Analysed terms (see search/analysis.py), indexed by the backend.
    title_terms = models.TextField(blank=True)
    extra_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    # Title and extra alone (PostgreSQL): the head ranking tier, small enough to rank fast.
    head_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["language", "kind", "title"]
        indexes = [models.Index(fields=["language", "kind"], name="searchdoc_language_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} [{self.language}]"

    def get_absolute_url(self) -> str:
        return self.url


class SearchTerm(models.Model):
    """A word of the guide's vocabulary, for compound splitting and "Did you mean …?"."""

    language = models.CharField(max_length=8)
    word = models.CharField(max_length=100)
    frequency = models.PositiveIntegerField(default=1)
    synonyms = models.TextField(
        blank=True, help_text="Other names of the same glossary term, one per line."
    )

    class Meta:
        ordering = ["language", "word"]
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="searchterm_unique_word")
        ]

    def __str__(self) -> str:
        return f"{self.word} [{self.language}]"


class SearchIndexState(models.Model):
    """One row whose version changes with every index rebuild.

    Each process keeps the vocabulary in memory and reloads it when the version it
    read no longer matches, so several web processes stay consistent cheaply.
    """

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"search index version {self.version}"
