"""Writes of a partnership's agreement: start it, edit a part, a partner's own words, sign, comment.

Every write is one atomic transaction with keyword-only arguments. Each one that changes the document
validates the whole document with the core model, saves through ``records.update_if_current`` (so
of any number of saves from one version exactly one wins) and records the partnership's shared
material with the agreement in one reversion revision, with the version number it made
(``AgreementRevision``). Signing never changes the version: it records who signed which version, and
when every active partner has signed the version in force the document's state becomes "agreed".
"""

from __future__ import annotations

from typing import Any

import reversion
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from pydantic import ValidationError

from commonground.core.agreement.draft import draft_agreement
from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.core.agreement.references import reference_problems
from commonground.core.agreement.who import Partner, Who
from commonground.core.loading.messages import friendly_message
from commonground.core.loading.problems import format_path
from commonground.core.profiles import Initiative as EngineInitiative
from commonground.core.profiles import Partnership as EnginePartnership
from commonground.core.results import AssessmentResult
from commonground.web.accounts.typing import User
from commonground.web.agreements import emails, selectors
from commonground.web.agreements.in_force import split_records
from commonground.web.agreements.models import Agreement, AgreementRevision, Comment, Signature
from commonground.web.agreements.record_services import records_store
from commonground.web.agreements.sections import PARTS
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import PartnershipAccess, active_organisations
from commonground.web.partnerships.services import partnership_touch, shared_material_record
from commonground.web.records import StaleEditError, update_if_current

__all__ = [
    "AgreementError",
    "StaleEditError",
    "agreement_comment_add",
    "agreement_contribution_update",
    "agreement_document_replace",
    "agreement_part_update",
    "agreement_sign",
    "agreement_start",
    "draft_from_snapshot",
]


class AgreementError(Exception):
    """A write the rules do not allow; the message is shown to the user."""


def _record(
    access: PartnershipAccess,
    agreement: Agreement,
    *,
    user: User,
    comment: str,
    extra: tuple[Model, ...] = (),
) -> None:
    """Record the shared material with the agreement as it is now, naming its version number."""
    agreement.refresh_from_db()
    with reversion.create_revision(atomic=False):
        shared_material_record(access.partnership, user=user, comment=comment, extra=(agreement, *extra))
        reversion.add_meta(AgreementRevision, agreement=agreement, number=agreement.version)


def _signed_names(agreement: Agreement, version: int) -> list[str]:
    """The partners that signed ``version``, by name."""
    return sorted(Signature.objects.filter(agreement=agreement, version=version).values_list(
        "organisation_name", flat=True))  # fmt: skip


def _signoff_reopened(agreement: Agreement, *, signed: list[str], user: User) -> None:
    """After a change to a version some partners had signed: ask every partner to sign the new one
    (once per version; a series of edits after that asks nothing more, as no one signed in between)."""
    if signed:
        emails.signoff_wanted(
            agreement, AgreementDocument.model_validate(agreement.document), period=f"v{agreement.version}",
            why=f"{user.get_username()} changed the agreement after {' and '.join(signed)} had signed it. "
            f"A change reopens sign-off: every partner signs version {agreement.version} again.",
        )  # fmt: skip


def _checked(document: dict[str, Any]) -> dict[str, Any]:
    """The document validated as a whole (fields and references), as stored; ``AgreementError``
    naming every problem with its field path if not."""
    try:
        agreement = AgreementDocument.model_validate(document)
    except ValidationError as exc:
        problems = [
            f"{format_path(tuple(error['loc']))}: {friendly_message(AgreementDocument, error)}"
            for error in exc.errors(include_url=False)
        ]
        raise AgreementError("The agreement would not be valid: " + "; ".join(problems)) from exc
    references = [f"{format_path(loc)}: {message}" for loc, message in reference_problems(agreement)]
    if references:
        raise AgreementError("The agreement would not be valid: " + "; ".join(references))
    return agreement.model_dump(mode="json")


def _unchanged(current: dict[str, Any], document: dict[str, Any]) -> bool:
    """Whether ``document`` (as ``_checked`` gives it, back in draft) has the terms ``current`` has: a
    save of what is already there must not make a version and send a signed agreement back to draft."""
    try:
        before = _checked({**current, "state": "draft"})
    except AgreementError:  # stored before a rule it breaks: any valid save is a change
        return False
    return before == document


def draft_from_snapshot(
    partnership: Partnership, organisations: list[Organisation], snapshot: AssessmentSnapshot | None
) -> tuple[AgreementDocument, AssessmentSnapshot | None]:
    """The first draft and the assessment it came from: ``core.agreement.draft`` on the latest
    assessment when it is of today's partners, else WHO only (the partners, no assessment)."""
    if snapshot is not None:
        result = AssessmentResult.model_validate(snapshot.result)
        profiles = [organisation.get_profile() for organisation in organisations]
        if sorted(result.parties) == sorted(profile.name for profile in profiles):
            engine_partnership = EnginePartnership(
                name=partnership.name,
                partners=profiles,
                initiatives=[EngineInitiative.model_validate(item) for item in snapshot.initiatives],
            )
            return draft_agreement(engine_partnership, result), snapshot
    partners = [Partner(id=organisation.slug, name=organisation.name) for organisation in organisations]
    return AgreementDocument(title=partnership.name, who=Who(partners=partners)), None


def _partner_organisations(document: AgreementDocument, organisations: list[Organisation]) -> dict[str, int]:
    """Each partner id of the draft and the organisation it stands for, matched by slug, then name."""
    by_key = {organisation.slug: organisation.pk for organisation in organisations}
    by_key.update({organisation.name: organisation.pk for organisation in organisations})
    found: dict[str, int] = {}
    for partner in document.who.partners:
        organisation_id = by_key.get(partner.id, by_key.get(partner.name))
        if organisation_id is not None:
            found[partner.id] = organisation_id
    return found


def agreement_start(*, access: PartnershipAccess, user: User) -> Agreement:
    """Start the partnership's agreement from its latest assessment (WHO only when there is none)."""
    if not access.can_edit:
        raise AgreementError("Only the partners' members can start the agreement.")
    organisations = active_organisations(partnership=access.partnership)
    if len(organisations) < 2:
        raise AgreementError("An agreement needs at least two active partner organisations.")
    latest = AssessmentSnapshot.objects.filter(partnership=access.partnership).order_by("-created_at", "-pk")
    document, snapshot = draft_from_snapshot(access.partnership, organisations, latest.first())
    # Records a draft brings (readings, deliveries, decisions) become rows; the document keeps the terms.
    terms, records = split_records(_checked(document.model_dump(mode="json")), today=timezone.localdate())
    with transaction.atomic():
        try:
            with transaction.atomic():
                agreement = Agreement.objects.create(
                    partnership=access.partnership,
                    document=terms,
                    partner_organisations=_partner_organisations(document, organisations),
                    assessment=snapshot,
                    created_by=user,
                    updated_by=user,
                )
        except IntegrityError:
            raise AgreementError("The agreement is already started; it is below.") from None
        records_store(agreement=agreement, records=records, user=user)
        partnership_touch(access.partnership, user=user)
        source = "the latest assessment" if snapshot is not None else "the partners (no assessment yet)"
        _record(access, agreement, user=user, comment=f"Started the agreement from {source}")
    return agreement


def agreement_part_update(
    *, access: PartnershipAccess, agreement: Agreement, part_key: str, merged: dict[str, Any],
    expected_version: int, user: User,
) -> Agreement:  # fmt: skip
    """Replace one part (``merged``, from ``sections.Part.merged``) if the agreement is still at
    ``expected_version``; else ``records.StaleEditError`` and nothing saved. A signed agreement
    goes back to draft: every partner signs the new version again. A part saved as it is writes
    nothing (no new version; a signed agreement stays signed)."""
    part = PARTS[part_key]
    rows = Agreement.objects.filter(pk=agreement.pk, partnership=access.partnership)
    with transaction.atomic():
        found = rows.values_list("document", "version").first()
        if found is None:
            raise StaleEditError.about(None)
        current, version = found
        if part.key == "who":
            _keep_partner_ids(current, merged)
            _keep_others_contributions(access, agreement, current, merged)
        document = _checked({**part.place(current, merged), "state": "draft"})
        if version == expected_version and _unchanged(current, document):
            return agreement
        signed = _signed_names(agreement, expected_version)
        update_if_current(rows, expected_version=expected_version, user=user, document=document)
        partnership_touch(access.partnership, user=user)
        _record(access, agreement, user=user, comment=f"Edited the agreement: {part.title}")
        _signoff_reopened(agreement, signed=signed, user=user)
    return agreement


def _keep_partner_ids(current: dict[str, Any], merged: dict[str, Any]) -> None:
    """Partner ids stand for the partner organisations (signatures, roles, commitments refer to them)."""
    before = [partner["id"] for partner in current["who"]["partners"]]
    after = [partner["id"] for partner in merged["partners"]]
    if sorted(before) != sorted(after):
        raise AgreementError(
            "The partners are the partnership's organisations: keep each partner's id "
            f"({', '.join(before)}) and change names, representatives and contributions."
        )


def _keep_others_contributions(
    access: PartnershipAccess, agreement: Agreement, current: dict[str, Any], merged: dict[str, Any]
) -> None:
    """A partner's contribution is in its own words: only its members change it, here as on its page."""
    before = {partner["id"]: partner.get("contribution") for partner in current["who"]["partners"]}
    speakers = selectors.speaks_for(access=access, agreement=agreement)
    for partner in merged["partners"]:
        if (partner.get("contribution") or None) == (before.get(partner["id"]) or None):
            continue
        if partner["id"] not in speakers:
            raise AgreementError(
                f"Only {partner.get('name') or partner['id']}'s members can change what it brings "
                "(its contribution, in its own words); leave it as it is."
            )


def agreement_contribution_update(
    *, access: PartnershipAccess, agreement: Agreement, partner_id: str, text: str, expected_version: int,
    user: User,
) -> Agreement:  # fmt: skip
    """Set what one partner brings, in its own words; only that partner's members may. The same words
    again write nothing (no new version; a signed agreement stays signed)."""
    if partner_id not in selectors.speaks_for(access=access, agreement=agreement):
        raise AgreementError("Only that partner's members can state its contribution in its own words.")
    rows = Agreement.objects.filter(pk=agreement.pk, partnership=access.partnership)
    with transaction.atomic():
        found = rows.values_list("document", "version").first()
        if found is None:
            raise StaleEditError.about(None)
        current, version = found
        who = current["who"]
        partners = [
            {**partner, "contribution": text.strip() or None} if partner["id"] == partner_id else partner
            for partner in who["partners"]
        ]
        document = _checked({**current, "who": {**who, "partners": partners}, "state": "draft"})
        if version == expected_version and _unchanged(current, document):
            return agreement
        signed = _signed_names(agreement, expected_version)
        update_if_current(rows, expected_version=expected_version, user=user, document=document)
        partnership_touch(access.partnership, user=user)
        name = next(p["name"] for p in partners if p["id"] == partner_id)
        _record(access, agreement, user=user, comment=f"{name} stated its contribution in its own words")
        _signoff_reopened(agreement, signed=signed, user=user)
    return agreement


def agreement_document_replace(
    *, access: PartnershipAccess, agreement: Agreement, document: AgreementDocument, expected_version: int,
    user: User, comment: str,
) -> Agreement:  # fmt: skip
    """Save a whole new document (an imported table's result) if the agreement is still at
    ``expected_version``; else ``records.StaleEditError`` and nothing saved. Like any edit, it makes a
    new version and a signed agreement goes back to draft."""
    if not access.can_edit:
        raise AgreementError("Only the partners' members can change the agreement.")
    rows = Agreement.objects.filter(pk=agreement.pk, partnership=access.partnership)
    with transaction.atomic():
        checked = _checked({**document.model_dump(mode="json"), "state": "draft"})
        signed = _signed_names(agreement, expected_version)
        update_if_current(rows, expected_version=expected_version, user=user, document=checked)
        partnership_touch(access.partnership, user=user)
        _record(access, agreement, user=user, comment=comment)
        _signoff_reopened(agreement, signed=signed, user=user)
    return agreement


def agreement_sign(
    *, access: PartnershipAccess, agreement: Agreement, organisation_id: int, version: int, user: User
) -> Signature:
    """Sign ``version`` for one partner organisation (its admins and owners; never a facilitator).

    Refused when ``version`` is no longer the version in force (someone changed it since the page was
    read) or that organisation already signed it.
    """
    if not selectors.may_sign(access=access, organisation_id=organisation_id):
        raise AgreementError("Only an admin or owner of that partner organisation can sign for it.")
    with transaction.atomic():
        locked = (
            Agreement.objects.select_for_update(of=("self",))  # PostgreSQL cannot lock outer joins
            .select_related("updated_by")
            .filter(pk=agreement.pk, partnership=access.partnership)
            .first()
        )
        if locked is None:
            raise AgreementError("This agreement no longer exists.")
        if locked.version != version:
            who = locked.updated_by.get_username() if locked.updated_by else "someone else"
            raise AgreementError(
                f"You signed version {version}, but {who} changed the agreement meanwhile: version "
                f"{locked.version} is now in force. Nothing was signed: read it and sign again."
            )
        organisation = Organisation.objects.get(pk=organisation_id)
        if Signature.objects.filter(agreement=locked, organisation=organisation, version=version).exists():
            raise AgreementError(f"{organisation.name} has already signed version {version}.")
        signature = Signature.objects.create(
            agreement=locked, organisation=organisation, organisation_name=organisation.name, user=user,
            signer_name=user.get_username(), version=version,
        )  # fmt: skip
        partners = {o.pk for o in active_organisations(partnership=access.partnership)}
        signed = set(
            Signature.objects.filter(agreement=locked, version=version).values_list(
                "organisation_id", flat=True
            )
        )
        comment = f"{organisation.name} signed version {version} of the agreement"
        if partners <= signed:
            # The state is the partners' signatures, not an edit: the version in force stays the same.
            Agreement.objects.filter(pk=locked.pk, version=version).update(
                document={**locked.document, "state": "agreed"}
            )
            comment += "; every partner has now signed it"
        partnership_touch(access.partnership, user=user)
        _record(access, locked, user=user, comment=comment, extra=(signature,))
        if not partners <= signed:
            emails.signoff_wanted(
                locked, AgreementDocument.model_validate(locked.document), period=f"v{version}",
                why=f"{organisation.name} signed version {version} of the agreement.",
            )  # fmt: skip
    return signature


def agreement_comment_add(
    *, access: PartnershipAccess, agreement: Agreement, part_key: str, text: str, user: User
) -> Comment:
    """A remark on one part, by a partner's member or a facilitator (viewers only read)."""
    if not selectors.may_comment(access=access):
        raise AgreementError("Only the partners' members and facilitators can comment.")
    if part_key not in PARTS:
        raise AgreementError("Choose a part of the agreement to comment on.")
    if not text.strip():
        raise AgreementError("Write the comment first.")
    with transaction.atomic():
        return Comment.objects.create(
            agreement=agreement, section=part_key, author=user, author_name=user.get_username(),
            as_facilitator=access.facilitator, text=text.strip()[:4000], version=agreement.version,
        )  # fmt: skip
