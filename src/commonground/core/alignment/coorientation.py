"""Coorientation: how each partner's view of an item compares with the other's, and with its guess.

After McLeod & Chaffee (1973): for partners P and Q on one item at one check-in we have P's own
mean, P's prediction of how Q would answer (the ``about`` answers), and Q's own mean.

- *Agreement*: P's and Q's own means are within ``CLOSE`` scale points of each other.
- *Perceived agreement* (congruency): P's own mean and P's prediction of Q are within ``CLOSE``.

Together: true consensus (P thinks Q agrees, and Q does), false consensus (P thinks Q agrees, Q
does not), true dissensus (P thinks Q differs, and Q does), false dissensus (P thinks Q differs,
but Q agrees). Every mean comes from 5 or more people, and the own means only from released cells.
"""

from __future__ import annotations

from collections.abc import Mapping

from commonground.core.alignment.models import Coorientation

CLOSE = 0.5  # scale points: half a step on a 1-5 scale


def classify(own: float, predicted: float, actual: float) -> str:
    """The coorientation state of one partner towards another, in words."""
    agree = abs(own - actual) <= CLOSE
    perceived = abs(own - predicted) <= CLOSE
    truth = "true" if agree == perceived else "false"
    return f"{truth} {'consensus' if perceived else 'dissensus'}"


def coorientation(
    *,
    checkin: str,
    item: str,
    own_means: Mapping[str, float],
    predictions: Mapping[tuple[str, str], float],
) -> list[Coorientation]:
    """Every partner pair with a released own mean on each side and a released prediction.

    ``own_means`` maps a partner to its released mean; ``predictions`` maps (partner, about) to the
    partner's mean prediction of ``about``, only where 5 or more people predicted.
    """
    rows = []
    for (partner, about), predicted in sorted(predictions.items()):
        if partner == about or partner not in own_means or about not in own_means:
            continue
        own, actual = own_means[partner], own_means[about]
        rows.append(
            Coorientation(
                checkin=checkin,
                item=item,
                partner=partner,
                about=about,
                own_mean=own,
                predicted_mean=round(predicted, 2),
                actual_mean=actual,
                kind=classify(own, predicted, actual),
            )
        )
    return rows
