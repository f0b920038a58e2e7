"""Writes for partnerships, one module per thing they change; import them from here.

Every write is one atomic transaction, takes keyword-only arguments and records the partnership's
shared material as one reversion revision (user, comment), so the partnership's history lists it.

- ``partnership.py``  the partnership itself: start it, rename or re-describe it, mark it changed
- ``members.py``      partner organisations' places: invite, answer the invitation, withdraw it, leave
- ``proposals.py``    what partners decide together: removing a partner, renaming, closing (propose,
                      answer, withdraw, expire, and carrying them once every other partner confirms)
- ``notices.py``      the emails partners get about proposals and departures
- ``facilitators.py`` facilitator places: invite, answer, remove
- ``initiatives.py``  joint initiatives and each partner's score of them
- ``history.py``      the revision every write records, and restoring an earlier one
- ``errors.py``       the error the writes raise when the rules refuse them (its message is shown);
                      a stale save raises ``records.StaleEditError``, re-exported here
"""

from __future__ import annotations

from commonground.web.partnerships.services.errors import PartnershipError
from commonground.web.partnerships.services.facilitators import (
    facilitation_respond,
    facilitator_invite,
    facilitator_remove,
)
from commonground.web.partnerships.services.history import history_restore, shared_material_record
from commonground.web.partnerships.services.initiatives import (
    initiative_create,
    initiative_delete,
    initiative_score_set,
    initiative_update,
)
from commonground.web.partnerships.services.members import (
    ChooseOrganisation,
    invitation_respond,
    member_invite,
    member_leave,
    member_remove,
)
from commonground.web.partnerships.services.partnership import (
    partnership_create,
    partnership_touch,
    partnership_update,
)
from commonground.web.partnerships.services.proposals import (
    proposal_answer,
    proposal_create,
    proposal_withdraw,
    proposals_expire,
    proposals_settle,
)
from commonground.web.records import StaleEditError

__all__ = [
    "ChooseOrganisation",
    "PartnershipError",
    "StaleEditError",
    "facilitation_respond",
    "facilitator_invite",
    "facilitator_remove",
    "history_restore",
    "initiative_create",
    "initiative_delete",
    "initiative_score_set",
    "initiative_update",
    "invitation_respond",
    "member_invite",
    "member_leave",
    "member_remove",
    "partnership_create",
    "partnership_touch",
    "partnership_update",
    "proposal_answer",
    "proposal_create",
    "proposal_withdraw",
    "proposals_expire",
    "proposals_settle",
    "shared_material_record",
]
