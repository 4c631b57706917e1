"""Full-text search of jobs on PostgreSQL and SQLite behind one interface, the search parameters, and the
writes of saved filters.

Keywords are cut into words here, the same way on both databases: a word is a run of letters, digits and
combining marks (so Bengali vowel signs stay inside their word), everything else separates. Each word is
searched as a prefix (``লোগো`` also finds ``লোগোর``), and all words must occur. Because the words are
re-quoted by us, nothing a user types can change the structure of the query (no FTS5 or tsquery operators
get through).

- PostgreSQL: ``search_document @@ to_tsquery('simple', …)``, where ``search_document`` is the column that
  holds ``to_tsvector('simple', title || ' ' || description)`` (kept by a trigger, GIN-indexed: migration
  ``0007_search_document_column``; matching stored vectors instead of parsing the text again on every recheck
  made common-word searches several times faster), ranked with ``ts_rank``.
- SQLite: a ``MATCH`` on the FTS5 table ``jobs_job_fts`` (rowid = job id), ranked with ``bm25``.

A confidential job's description is searched only for viewers who may read it (see ``selectors``); for
everyone else only its title is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Expression, F, FloatField, Func, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from haat.accounts.models import User
from haat.jobs.models import Category, Job, SavedFilter, Skill
from haat.ledger.models import MAX_AMOUNT

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_SKILLS = 20
MAX_SAVED_FILTERS = 20
MAX_FILTER_NAME_LENGTH = 80
# Days outside this range cannot be turned into a time in every time zone.
EARLIEST_DAY = date(1970, 1, 1)
LATEST_DAY = date(9000, 12, 31)


class Sort:
    NEWEST = "newest"
    RELEVANCE = "relevance"
    BUDGET_HIGH = "budget_high"
    BUDGET_LOW = "budget_low"
    FEWEST_BIDS = "fewest_bids"

    ALL = (NEWEST, RELEVANCE, BUDGET_HIGH, BUDGET_LOW, FEWEST_BIDS)


# --- Parameters -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchParams:
    """A validated job search: what ``selectors.search_jobs`` runs and what a saved filter stores.

    Amounts are in minor units of ``currency``. ``open_only`` keeps jobs still taking bids;
    ``confidential`` is ``None`` for either.
    """

    q: str = ""
    category: str = ""
    skills: tuple[str, ...] = ()
    budget_min: int | None = None
    budget_max: int | None = None
    currency: str = ""
    posted_since: date | None = None
    open_only: bool = True
    confidential: bool | None = None
    sort: str = Sort.NEWEST

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as stored in ``SavedFilter.params`` and accepted back by ``clean_params``."""
        data = asdict(self)
        data["skills"] = list(self.skills)
        data["posted_since"] = self.posted_since.isoformat() if self.posted_since else None
        return data

    @property
    def terms(self) -> list[str]:
        return search_terms(self.q)


class _Errors:
    """The first message per parameter."""

    def __init__(self) -> None:
        self.messages: dict[str, str] = {}

    def add(self, name: str, message: str) -> None:
        self.messages.setdefault(name, message)


def _text(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError
    return value.strip()


def _bool(value: object, default: bool | None) -> bool | None:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"1", "true", "yes", "on"}:
        return True
    if isinstance(value, str) and value.lower() in {"0", "false", "no", "off"}:
        return False
    raise TypeError


def _amount(errors: _Errors, name: str, value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors.add(name, _("Enter a whole number of minor units (cents, paisa)."))
        return None
    try:
        amount = int(value)
    except ValueError:
        errors.add(name, _("Enter a whole number of minor units (cents, paisa)."))
        return None
    if not 0 < amount <= MAX_AMOUNT:
        errors.add(name, _("Enter an amount greater than zero."))
        return None
    return amount


def clean_params(raw: Mapping[str, Any]) -> SearchParams:
    """Validate search parameters from the API, a page form or a saved filter; unknown keys are ignored.

    Raises ``ValidationError`` keyed by parameter: an unknown category or skill, a budget without a
    currency, a minimum above the maximum, an unknown sort order, a malformed value.
    """
    errors = _Errors()
    values: dict[str, Any] = {}

    for name, limit in (("q", MAX_QUERY_LENGTH), ("category", 100), ("currency", 3), ("sort", 20)):
        try:
            text = _text(raw.get(name))
        except TypeError:
            errors.add(name, _("Enter text."))
            continue
        if len(text) > limit:
            errors.add(name, _("At most %(n)d characters, please.") % {"n": limit})
        values[name] = text

    category = values.get("category", "")
    if category and not Category.objects.filter(slug=category).exists():
        errors.add("category", _("There is no category “%(slug)s”.") % {"slug": category})

    skills_raw = raw.get("skills") or []
    if isinstance(skills_raw, str):
        skills_raw = [skills_raw]
    if not isinstance(skills_raw, list | tuple) or not all(isinstance(s, str) for s in skills_raw):
        errors.add("skills", _("List skills by their short names (slugs)."))
        skills_raw = []
    slugs = sorted({part.strip() for value in skills_raw for part in value.split(",") if part.strip()})
    if len(slugs) > MAX_SKILLS:
        errors.add("skills", _("Choose at most %(n)d skills.") % {"n": MAX_SKILLS})
    elif slugs:
        known = set(Skill.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            errors.add("skills", _("Unknown skills: %(slugs)s.") % {"slugs": ", ".join(unknown)})
    values["skills"] = tuple(slugs)

    currency = values.get("currency", "").upper()
    if currency and currency not in settings.HAAT_CURRENCIES:
        errors.add(
            "currency",
            _("Choose one of these currencies: %(list)s.") % {"list": ", ".join(settings.HAAT_CURRENCIES)},
        )
    values["currency"] = currency
    budget_min = _amount(errors, "budget_min", raw.get("budget_min"))
    budget_max = _amount(errors, "budget_max", raw.get("budget_max"))
    if (budget_min is not None or budget_max is not None) and not currency:
        errors.add("currency", _("Choose the currency of the budget."))
    if budget_min is not None and budget_max is not None and budget_min > budget_max:
        errors.add("budget_max", _("The maximum must not be below the minimum."))
    values["budget_min"], values["budget_max"] = budget_min, budget_max

    since = raw.get("posted_since")
    if isinstance(since, str) and since.strip():
        try:
            since = date.fromisoformat(since.strip())
        except ValueError:
            errors.add("posted_since", _("Enter a date as YYYY-MM-DD."))
            since = None
    elif not isinstance(since, date):
        if since not in (None, ""):
            errors.add("posted_since", _("Enter a date as YYYY-MM-DD."))
        since = None
    if since is not None and not EARLIEST_DAY <= since <= LATEST_DAY:
        errors.add(
            "posted_since",
            _("Enter a date between %(first)s and %(last)s.")
            % {"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()},
        )
        since = None
    values["posted_since"] = since

    for name, default in (("open_only", True), ("confidential", None)):
        try:
            values[name] = _bool(raw.get(name), default)
        except TypeError:
            errors.add(name, _("Enter yes or no."))

    sort = values.get("sort") or Sort.NEWEST
    if sort not in Sort.ALL:
        errors.add("sort", _("Sort by one of: %(list)s.") % {"list": ", ".join(Sort.ALL)})
    values["sort"] = sort

    if errors.messages:
        raise ValidationError(errors.messages)
    return SearchParams(**values)


# --- Keywords -------------------------------------------------------------------------------------------------


def _is_word_character(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LNM" or category == "Co"


def search_terms(text: str) -> list[str]:
    """The words of a keyword query, in order, without repeats (at most ``MAX_TERMS``)."""
    terms: list[str] = []
    current: list[str] = []
    for char in text[:MAX_QUERY_LENGTH] + " ":
        if _is_word_character(char):
            current.append(char)
        elif current:
            word = "".join(current).lower()
            current = []
            if word not in terms:
                terms.append(word)
    return terms[:MAX_TERMS]


def _fts5_query(terms: list[str], *, title_only: bool) -> str:
    expression = " ".join(f'"{term}"*' for term in terms)
    return f"{{title}} : ({expression})" if title_only else expression


def _tsquery(terms: list[str]) -> SearchQuery:
    # Terms hold only letters, digits and marks: no quote, backslash or tsquery operator can be in them.
    return SearchQuery(" & ".join(f"'{term}':*" for term in terms), config="simple", search_type="raw")


class _Document(Func):
    """``to_tsvector('simple', <fields joined by a space>)``: with title and description this is exactly the
    expression of the GIN index, so PostgreSQL can use it."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = SearchVectorField()

    def __init__(self, *fields: str) -> None:
        super().__init__(*(F(name) for name in fields))


class _StoredDocument(Expression):
    """The job's ``search_document`` column: ``to_tsvector('simple', title || ' ' || description)`` kept by a
    trigger and indexed with GIN (migration ``0007_search_document_column``). Not a model field, because SQLite
    has no such column (it searches its FTS5 table)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return f"{compiler.quote_name_unless_alias(Job._meta.db_table)}.search_document", []


@dataclass(frozen=True)
class KeywordMatch:
    """How to filter and rank jobs for a keyword query on this database.

    ``everything`` matches title or description; ``title`` only the title. ``rank`` and ``title_rank`` are
    expressions where higher is better.
    """

    everything: Q
    title: Q
    rank: Expression
    title_rank: Expression


_FTS_MATCHING = "SELECT rowid FROM jobs_job_fts WHERE jobs_job_fts MATCH %s"
# bm25 is lower for better matches; the weights favour the title. Negated so that higher is better.
_FTS_RANK = (
    "SELECT -bm25(jobs_job_fts, 4.0, 1.0) FROM jobs_job_fts "
    'WHERE jobs_job_fts MATCH %s AND jobs_job_fts.rowid = "jobs_job"."id"'
)


def keyword_match(terms: list[str]) -> KeywordMatch:
    """The filters and rank expressions for ``terms`` (non-empty), for the current database."""
    if connection.vendor == "postgresql":
        query = _tsquery(terms)
        # Ranking only orders the page's rows, so it may weigh the title above the description (A over B)
        # without touching the indexed expression the filter uses.
        weighted = SearchVector("title", config="simple", weight="A") + SearchVector(
            "description", config="simple", weight="B"
        )
        return KeywordMatch(
            everything=Q(_search_document=query),
            title=Q(_search_title=query),
            rank=SearchRank(weighted, query),
            title_rank=SearchRank(SearchVector("title", config="simple", weight="A"), query),
        )
    everything, title = _fts5_query(terms, title_only=False), _fts5_query(terms, title_only=True)
    # The user's words reach SQLite only as bound parameters; the SQL text itself is constant.
    return KeywordMatch(
        everything=Q(pk__in=RawSQL(_FTS_MATCHING, [everything])),  # noqa: S611
        title=Q(pk__in=RawSQL(_FTS_MATCHING, [title])),  # noqa: S611
        rank=RawSQL(_FTS_RANK, [everything], output_field=FloatField()),  # noqa: S611
        title_rank=RawSQL(_FTS_RANK, [title], output_field=FloatField()),  # noqa: S611
    )


def search_aliases() -> dict[str, Expression]:
    """Aliases ``keyword_match``'s filters refer to (PostgreSQL's documents; nothing on SQLite)."""
    if connection.vendor == "postgresql":
        return {"_search_document": _StoredDocument(), "_search_title": _Document("title")}
    return {}


# --- Index ----------------------------------------------------------------------------------------------------


def index_job(job: Job) -> None:
    """Bring the job's search entry up to date; call after every change to a job's text or status.

    SQLite: replaces the job's FTS5 row with its stored title and description (removes it if the job no
    longer exists). Triggers from migration 0004 do the same on every insert, update and delete; this keeps
    the index right even where they could not (e.g. a table restored without them). PostgreSQL indexes an
    expression of the row itself, so there is nothing to do.
    """
    if connection.vendor != "sqlite" or job.pk is None:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM jobs_job_fts WHERE rowid = %s", [job.pk])
        cursor.execute(
            "INSERT INTO jobs_job_fts(rowid, title, description) "
            "SELECT id, title, description FROM jobs_job WHERE id = %s",
            [job.pk],
        )


def rebuild_index() -> int:
    """Rebuild the whole SQLite search index from the jobs table; returns the number of jobs indexed."""
    if connection.vendor != "sqlite":
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM jobs_job_fts")
        cursor.execute(
            "INSERT INTO jobs_job_fts(rowid, title, description) SELECT id, title, description FROM jobs_job"
        )
        return int(cursor.rowcount)


# --- Saved filters --------------------------------------------------------------------------------------------


def _filter_name(value: object) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not name:
        raise ValidationError({"name": _("Give the filter a name.")})
    if len(name) > MAX_FILTER_NAME_LENGTH:
        raise ValidationError(
            {"name": _("At most %(n)d characters, please.") % {"n": MAX_FILTER_NAME_LENGTH}}
        )
    if not name.isprintable():
        raise ValidationError(
            {"name": _("This contains characters that are not allowed (such as line breaks).")}
        )
    return name


@transaction.atomic
def save_filter(
    *, user: User, name: object, params: Mapping[str, Any], email_digest: bool = True
) -> SavedFilter:
    """Save a search for ``user`` to run again and, with ``email_digest``, to receive new matches daily.

    The parameters are validated like a search (``clean_params``) and stored in their canonical form. Raises
    ``ValidationError`` keyed by field (``name`` or a parameter) and saves nothing when the name is blank or
    too long, a parameter is invalid, or the user already has ``MAX_SAVED_FILTERS`` filters.
    """
    clean_name = _filter_name(name)
    cleaned = clean_params(params)
    # Lock the user's row so two concurrent saves cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if SavedFilter.objects.filter(user=user).count() >= MAX_SAVED_FILTERS:
        raise ValidationError(
            {
                "name": _("You can keep at most %(n)d saved filters; delete one first.")
                % {"n": MAX_SAVED_FILTERS}
            }
        )
    return SavedFilter.objects.create(
        user=user, name=clean_name, params=cleaned.to_dict(), email_digest=bool(email_digest)
    )


@transaction.atomic
def delete_saved_filter(*, user: User, filter_id: int) -> SavedFilter:
    """Delete one of the user's saved filters (and the record of what it has e-mailed); returns it.

    Raises ``SavedFilter.DoesNotExist`` for unknown ids and other users' filters alike.
    """
    if not 0 < filter_id <= MAX_AMOUNT:
        raise SavedFilter.DoesNotExist
    saved = SavedFilter.objects.select_for_update().get(pk=filter_id, user=user)
    saved.delete()
    return saved
