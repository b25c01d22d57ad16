"""The guide's content as data: chapters, cases, glossary, organisations, plans, questions."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


def validate_not_in_the_future(value) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("A check cannot be dated in the future."), code="future")


# Review dates older than this are overdue in the admin ("not reviewed for 12 months").
REVIEW_INTERVAL_DAYS = 365


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
    reviewed = models.DateField(
        _("last reviewed"), null=True, blank=True, validators=[validate_not_in_the_future],
        help_text=_("When an editor last checked this text against the guide and the facts. "
                    "Shown on its page."),
    )

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
                violation_error_message=_("min_age must not be above max_age."),
            ),
        ]


class Theme(ContentItem):
    description = models.TextField(_("description"), blank=True)

    class Meta(ContentItem.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [models.UniqueConstraint(fields=["slug"], name="theme_unique_slug")]

    def get_absolute_url(self) -> str:
        return reverse("handreiking:theme-detail", kwargs={"slug": self.slug})


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


    class Meta(ContentItem.Meta):
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="glossaryterm_unique_slug")]

    def get_absolute_url(self) -> str:
        return reverse("handreiking:glossary-detail", kwargs={"slug": self.slug})

    @property
    def alias_list(self) -> list[str]:
        """The other names to show: not one the title already says ("Revenge porn
        (wraakporno)" needs no "Also: revenge porn")."""
        title = self.title.casefold()
        return [line.strip() for line in (self.aliases or "").splitlines()
                if line.strip() and line.strip().casefold() not in title]


class Synonym(models.Model):
    """An everyday word people search with, and the guide's words it stands for.

    "nudes" -> "naaktbeelden": loaded from content/synonyms.yml (Dutch) and
    content/en/synonyms.yml, and used only by search, which also looks for the guide's
    words when someone types the everyday one. It maps words and adds no facts, so it
    has no page; its address is the search for the word.
    """

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    word = models.CharField(_("everyday word"), max_length=60)
    means = models.CharField(_("the guide's words"), max_length=100)
    # What the last load wrote ("" if made in the admin): a row whose `means` differs was
    # edited in the admin, and the loader will not overwrite it silently.
    loaded_means = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")
        ordering = ["language", "means", "word"]
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="synonym_unique_word")
        ]

    def __str__(self) -> str:
        return f"{self.word} \u2192 {self.means} [{self.language}]"

    def get_absolute_url(self) -> str:
        with translation.override(self.language):
            return f"{reverse('handreiking:search')}?{urlencode({'q': self.word})}"


CONTACT_DETAILS = ("website", "phone")
validate_phone = RegexValidator(r"^\+?[0-9][0-9 \-]{2,30}$", _("Enter a phone number."))


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
    audiences = models.JSONField(_("audiences"), default=list)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    in_appendix = models.BooleanField(_("listed in the appendix"), default=False)
    contact_checked = models.DateField(
        _("contact details checked"), null=True, blank=True,
        validators=[validate_not_in_the_future],
        help_text=_("When the website and phone number were last checked at the source."),
    )
    sources = models.JSONField(
        _("sources of contact details"),
        default=dict,
        blank=True,
        help_text=_("Where each contact detail comes from, e.g. {\"phone\": \"…\"}."),
    )
    body = models.TextField(_("what they help with"))
    body_html = models.TextField(editable=False, blank=True)


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

    def clean(self) -> None:
        """Audiences from the fixed list; every contact detail says where it comes from."""
        errors: dict[str, list[ValidationError]] = {}
        known = set(self.Audience.values)
        if not isinstance(self.audiences, list) or any(a not in known for a in self.audiences):
            errors["audiences"] = [ValidationError(
                _("Use a list of: %(values)s."), params={"values": ", ".join(self.Audience.values)},
                code="audiences")]
        sources = self.sources if isinstance(self.sources, dict) else None
        if sources is None or any(not isinstance(v, str) for v in sources.values()):
            errors["sources"] = [ValidationError(
                _("Use a mapping of contact detail to its origin."), code="sources")]
        else:
            for name in sources:
                if name not in CONTACT_DETAILS:
                    errors.setdefault("sources", []).append(ValidationError(
                        _("%(name)r is not a contact detail; expected %(expected)s."),
                        params={"name": name, "expected": ", ".join(CONTACT_DETAILS)},
                        code="sources"))
            for name in CONTACT_DETAILS:
                if getattr(self, name) and not sources.get(name):
                    errors.setdefault("sources", []).append(ValidationError(
                        _("Say where the %(name)s comes from, e.g. {%(name)s: \"…\"}."),
                        params={"name": name}, code="sources"))
        if errors:
            raise ValidationError(errors)

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
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(_("introduction"), blank=True)
    body_html = models.TextField(editable=False, blank=True)


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


    class Meta(ContentItem.Meta):
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="case_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(age__lte=18), name="case_child_age",
                violation_error_message=_("A case is about a child: age 18 at most."),
            ),
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
        # A step of the victim's plan, a point of a school plan, a tip for children: only
        # the first are numbered steps in the guide, so the label names none of them.
        STEP = "step", _("Part of a step plan")
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
    """A word of the guide's vocabulary (or a synonym's everyday word), for compounds and typos."""

    language = models.CharField(max_length=8)
    word = models.CharField(max_length=100)
    frequency = models.PositiveIntegerField(default=1)  # 0: a synonym's word, not in the text
    is_concept = models.BooleanField(
        default=False, help_text="A glossary term's name or alias, or a synonym's everyday word."
    )
    synonyms = models.TextField(
        blank=True, help_text="Other names of the same glossary term, and the guide's words a "
                              "synonym stands for, one per line."
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
    # Per language: how many documents, their average field lengths, and in how many
    # documents each term occurs. Search ranks its candidates with these (BM25F, the same
    # on every database) and does not require the most widespread terms.
    statistics = models.JSONField(default=dict)
    # search.indexing.INDEX_VERSION (the analysis of words and the shape of documents) the
    # index was made with: a deploy that changes either re-indexes on its next load, even
    # when no content changed.
    analysis = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"search index version {self.version}"


class ContentVersion(models.Model):
    """One row whose number the publisher bumps whenever published content changes.

    Page caches and ETags are keyed on it, so an edit shows on the very next request
    of every process sharing the database, with nothing to invalidate.
    """

    version = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1),
                                              name="contentversion_single_row")]

    def __str__(self) -> str:
        return f"content version {self.version}"

    @classmethod
    def bump(cls) -> int:
        """Move to a new version (creating the row on first use); return it.

        The new number is the current time in milliseconds (or one more than the last,
        if that is later), never a small counter: a database restored from a backup, or
        a test rolled back, must not reuse a version whose pages a cache still holds.
        """
        import time

        from django.utils import timezone

        with transaction.atomic():
            row = cls.objects.select_for_update().filter(pk=1).first()
            now = time.time_ns() // 1_000_000
            if row is None:
                row = cls.objects.create(pk=1, version=now)
            else:
                row.version = max(row.version + 1, now)
                row.updated_at = timezone.now()
                row.save(update_fields=["version", "updated_at"])
            return row.version

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("version", flat=True).first() or 0
