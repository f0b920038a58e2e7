"""The portfolio's table rows: each rendered once, then read from the cache until anything it shows changes.

A row's cache key is made of every field of its ``PortfolioRow`` (the partnership's id and name, its
partners' names and profile versions, the latest assessment's id and figures) and the language and
time zone it is formatted in. Whatever changes (a rename, a partner joining or leaving, a new
assessment, a partner's profile edited, which may put an assessment out of date) gives the row a new
key, so it is rendered afresh: nothing is invalidated by hand and no outdated row is ever shown. The
agreement's standing is keyed by the partnership's last change (every agreement write, record and
signature touches it) and by the day. Only rows missing from the cache cost the template, the two
queries that tell which assessments are out of date and the four that give agreements' standing. A
field added to ``PortfolioRow`` joins the key by itself.
"""

from __future__ import annotations

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from commonground.web.agreements.status_selectors import agreement_statuses
from commonground.web.assessments.selectors import stale_snapshot_ids
from commonground.web.fragments import fragment_key
from commonground.web.partnerships.selectors import PortfolioRow

ROW_TEMPLATE = "partnerships/_portfolio_row.html"


def rendered_rows(rows: list[PortfolioRow]) -> list[SafeString]:
    """Each row's ``<tr>``, in order: from the cache, else rendered and cached."""
    today = timezone.localdate()
    # The day is part of the key: commitments fall overdue and reviews fall due as days pass.
    keys = [fragment_key("portfolio-row", row.pk, vars(row), today) for row in rows]
    html: dict[str, str] = cache.get_many(keys)
    missing = [(key, row) for key, row in zip(keys, rows, strict=True) if key not in html]
    # Marked "out of date" where a partner's profile changed, or partners joined or left, since.
    assessed = [row.snapshot_id for _, row in missing if row.snapshot_id is not None]
    stale = stale_snapshot_ids(snapshot_ids=assessed) if assessed else set()
    agreed = [row.agreement_id for _, row in missing if row.agreement_id is not None]
    statuses = agreement_statuses(agreement_ids=agreed, today=today)
    # Stripped: the page's loop places each row (the template file's first line is a comment).
    rendered = {
        key: render_to_string(
            ROW_TEMPLATE,
            {
                "row": row,
                "stale": row.snapshot_id in stale,
                "agreement": statuses.get(row.agreement_id) if row.agreement_id else None,
            },
        ).strip()
        for key, row in missing
    }
    cache.set_many(rendered)
    html |= rendered
    # Safe: the template escaped every value when the row was rendered.
    return [mark_safe(html[key]) for key in keys]  # noqa: S308
