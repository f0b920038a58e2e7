"""analyse(): cells, alerts, gaps, coorientation and comments, all from released figures only."""

from __future__ import annotations

import random

from commonground.core.alignment.analysis import analyse
from commonground.core.alignment.models import ALL, Answer


def _partnership(sizes: dict[str, int], checkins: int = 1, seed: int = 1, **extra: str) -> list[Answer]:
    rng = random.Random(seed)
    return [
        Answer(str(c), f"{p}{i}", p, "voice", rng.randint(2, 5), **extra)
        for c in range(1, checkins + 1)
        for p, size in sizes.items()
        for i in range(size)
    ]


def test_about_answers_never_appear_in_cells() -> None:
    answers = _partnership({"A": 6, "B": 6})
    answers += [Answer("1", f"A{i}", "A", "voice", 1, about="B") for i in range(6)]
    result = analyse(answers)
    shown = {(c.partner, c.n) for c in result.cells if not c.suppressed}
    assert shown == {(ALL, 12), ("A", 6), ("B", 6)}
    assert [(r.partner, r.about, r.predicted_mean) for r in result.coorientation] == [("A", "B", 1.0)]


def test_comments_only_from_groups_of_ten_pooled_when_a_partner_is_smaller() -> None:
    big = analyse(_partnership({"A": 10, "B": 10}, comment="We need more time together."))
    assert {c.partner for c in big.comments} == {"A", "B"}
    mixed = analyse(_partnership({"A": 12, "B": 4}, comment="Too slow."))
    # Never by partner beside the pooled list: the difference would name B's four.
    assert {c.partner for c in mixed.comments} == {ALL}
    assert len(mixed.comments) == 16
    small = analyse(_partnership({"A": 3, "B": 3}, comment="Fine."))
    assert small.comments == ()
    assert any("comment(s) are not shown" in note for note in small.notes)


def test_gaps_only_between_partners_of_ten_people_or_more() -> None:
    result = analyse(_partnership({"A": 12, "B": 10, "C": 7}))
    released = {c.partner for c in result.cells if not c.suppressed}
    assert "C" in released  # C's own mean is shown (7 people) ...
    # ... but a gap needs 10 a side: beside both means, Cliff's delta and its interval can pin down
    # every answer of a group of five.
    assert [(g.partner_a, g.partner_b, g.n_a, g.n_b) for g in result.gaps] == [("A", "B", 12, 10)]
    assert analyse(_partnership({"A": 5, "B": 5})).gaps == ()


def test_a_partner_drifting_down_raises_one_alert() -> None:
    rng = random.Random(3)
    answers = []
    for c in range(1, 19):
        for i in range(12):
            score = rng.choice([4, 4, 5, 3, 4]) if c < 10 else rng.choice([2, 3, 3, 2, 4])
            answers.append(
                Answer(f"2026-{c:02d}" if c < 13 else f"2027-{c - 12:02d}", f"A{i}", "A", "voice", score)
            )
            answers.append(
                Answer(
                    f"2026-{c:02d}" if c < 13 else f"2027-{c - 12:02d}",
                    f"B{i}",
                    "B",
                    "voice",
                    rng.choice([4, 4, 5, 3, 4]),
                )
            )
    result = analyse(answers)
    partners = {(a.partner, a.item) for a in result.alerts}
    assert ("A", "voice") in partners
    assert ("B", "voice") not in partners
    first = next(a for a in result.alerts if a.partner == "A")
    assert first.size < -0.5
    assert first.since >= "2026-09"


def test_json_has_the_contract_keys() -> None:
    data = analyse(_partnership({"A": 6, "B": 6})).as_json()
    assert {"cells", "alerts", "gaps", "comments", "coorientation", "notes", "pooled"} <= set(data)
    assert set(data["cells"][0]) >= {"checkin", "partner", "item", "n", "mean", "suppressed"}
