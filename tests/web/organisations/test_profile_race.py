"""Twenty concurrent saves from the same version: exactly one wins, the rest are refused as stale."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from commonground.core.profiles import Profile
from commonground.web.organisations import services
from commonground.web.organisations.models import Organisation
from commonground.web.records import StaleEditError

WRITERS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_saves_exactly_one_wins(organisation: Organisation, owner: Any) -> None:
    base = organisation.get_profile()
    barrier = threading.Barrier(WRITERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def save(n: int) -> None:
        profile = Profile.model_validate(base.model_dump() | {"mission": f"Mission written by writer {n}"})
        mine = Organisation.objects.get(pk=organisation.pk)
        barrier.wait()
        try:
            services.profile_update(organisation=mine, profile=profile, expected_version=1, user=owner)
            result = f"won:{n}"
        except StaleEditError:
            result = "stale"
        except Exception as exc:  # anything else is a failure of the locking scheme
            result = f"error:{exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [o for o in outcomes if o.startswith("won:")]
    assert len(outcomes) == WRITERS
    assert [o for o in outcomes if o.startswith("error")] == []
    assert len(winners) == 1
    organisation.refresh_from_db()
    assert organisation.version == 2
    assert organisation.get_profile().mission == f"Mission written by writer {winners[0].split(':')[1]}"
