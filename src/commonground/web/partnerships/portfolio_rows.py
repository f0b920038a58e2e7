"""The portfolio's table rows: each rendered once, then read from the cache until anything it shows changes.

A row's cache key is made of every field of its ``PortfolioRow`` (the partnership's id and name, its
partners' names and profile versions, the latest assessment's id and figures) and the language and
time zone it is formatted in. Whatever changes (a rename, a partner joining or leaving, a new
assessment, a partner's profile edited, which may put an assessment out of date) gives the row a new
key, so it is rendered afresh: nothing is invalidated by hand and no outdated row is ever shown. Only
rows missing from the cache cost the template and the two queries that tell which assessments are out
of date. A field added to ``PortfolioRow`` joins the key by itself.
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from commonground.web.assessments.selectors import stale_snapshot_ids
from commonground.web.partnerships.selectors import PortfolioRow

ROW_TEMPLATE = "partnerships/_portfolio_row.html"


def _key(row: PortfolioRow, locale: tuple[str, str]) -> str:
    # Hashed: names may hold anything, and cache keys must be short and plain.
    shown = json.dumps([vars(row), locale], default=str)
    return f"portfolio-row:{row.pk}:{hashlib.sha256(shown.encode()).hexdigest()}"


def rendered_rows(rows: list[PortfolioRow]) -> list[SafeString]:
    """Each row's ``<tr>``, in order: from the cache, else rendered and cached."""
    locale = (translation.get_language(), timezone.get_current_timezone_name())
    keys = [_key(row, locale) for row in rows]
    html: dict[str, str] = cache.get_many(keys)
    missing = [(key, row) for key, row in zip(keys, rows, strict=True) if key not in html]
    # Marked "out of date" where a partner's profile changed, or partners joined or left, since.
    assessed = [row.snapshot_id for _, row in missing if row.snapshot_id is not None]
    stale = stale_snapshot_ids(snapshot_ids=assessed) if assessed else set()
    # Stripped: the page's loop places each row (the template file's first line is a comment).
    rendered = {
        key: render_to_string(ROW_TEMPLATE, {"row": row, "stale": row.snapshot_id in stale}).strip()
        for key, row in missing
    }
    cache.set_many(rendered)
    html |= rendered
    # Safe: the template escaped every value when the row was rendered.
    return [mark_safe(html[key]) for key in keys]  # noqa: S308
