"""Writes for partnerships, one module per thing they change; import them from here.

Every write is one atomic transaction, takes keyword-only arguments and records the partnership's
shared material as one reversion revision (user, comment), so the partnership's history lists it.

- ``partnership.py``  the partnership itself: start it, re-describe it, mark it changed
- ``invitations.py``  emailed invitations (of a partner organisation or a facilitator): send, withdraw,
                      accept, decline
- ``members.py``      partner organisations' places: join (accepting an invitation), leave
- ``proposals.py``    what partners decide together: removing a partner, renaming, closing (propose,
                      answer, withdraw, expire, and carrying them once every other partner confirms)
- ``notices.py``      the emails partners get about proposals and departures
- ``facilitators.py`` facilitator places: join (accepting an invitation), remove
- ``initiatives.py``  joint initiatives and each partner's score of them
- ``history.py``      the revision every write records, and restoring an earlier one
- ``errors.py``       the error the writes raise when the rules refuse them (its message is shown);
                      a stale save raises ``records.StaleEditError``, re-exported here
"""

from __future__ import annotations

from commonground.web.partnerships.services.errors import PartnershipError
from commonground.web.partnerships.services.facilitators import facilitator_join, facilitator_remove
from commonground.web.partnerships.services.history import history_restore, shared_material_record
from commonground.web.partnerships.services.initiatives import (
    initiative_create,
    initiative_delete,
    initiative_score_set,
    initiative_update,
)
from commonground.web.partnerships.services.invitations import (
    invitation_accept,
    invitation_decline,
    invitation_revoke,
    invitation_send,
)
from commonground.web.partnerships.services.members import member_join, member_leave
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
    "PartnershipError",
    "StaleEditError",
    "facilitator_join",
    "facilitator_remove",
    "history_restore",
    "initiative_create",
    "initiative_delete",
    "initiative_score_set",
    "initiative_update",
    "invitation_accept",
    "invitation_decline",
    "invitation_revoke",
    "invitation_send",
    "member_join",
    "member_leave",
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
