"""/api/v1/partnerships/{id}/agreement: the agreement's sign-off, as its page does it. Who signed which
version, and signing one (a partner's admins and owners, for their own organisation); the comments on
its parts (partners' members and facilitators add them); and each partner's contribution in its own
words (only that partner's members change it, with If-Match as any change of the terms). Every rule is
the agreements app's: its selectors, forms and services, as the page calls them."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Status

from commonground.web.access import Action, refuse
from commonground.web.agreements import selectors, services
from commonground.web.agreements.forms import CommentForm, ContributionForm, SignForm
from commonground.web.agreements.models import Agreement, Comment, Signature
from commonground.web.api.agreement_schemas import (
    CommentIn,
    CommentList,
    CommentOut,
    ContributionIn,
    ContributionOut,
    PartnerSigningOut,
    SignatureOut,
    SignIn,
    SignoffOut,
)
from commonground.web.api.auth import request_token
from commonground.web.api.errors import ApiError, valid_form
from commonground.web.api.locking import LockedRecords, view_etag
from commonground.web.api.record_schemas import FormatId
from commonground.web.api.schemas import DEFAULT_LIMIT, Id, Limit, Offset, errors
from commonground.web.api.scopes import partnership_scope
from commonground.web.partnerships.selectors import PartnershipAccess, active_organisations

router = Router(tags=["agreement sign-off"])

# A partner's id in the agreement; one the agreement does not name is 404 whatever its form (not 422).
PartnerId = FormatId


# --- signatures ------------------------------------------------------------------------------------


def _signature(signature: Signature) -> SignatureOut:
    return SignatureOut(
        organisation=signature.organisation.slug if signature.organisation is not None else None,
        organisation_name=signature.organisation_name, signer=signature.signer_name,
        version=signature.version, signed_at=signature.signed_at,
    )  # fmt: skip


def _partner(row: selectors.PartnerSigning, partner_id: str | None) -> PartnerSigningOut:
    return PartnerSigningOut(
        organisation=row.organisation.slug, name=row.organisation.name, partner=partner_id,
        signed=_signature(row.signature) if row.signature else None,
        earlier=_signature(row.earlier) if row.earlier else None, can_sign=row.can_sign,
    )  # fmt: skip


def _signoff(response: HttpResponse, access: PartnershipAccess, agreement: Agreement) -> SignoffOut:
    """The sign-off as the agreement page shows it, with every signature of any version and an ETag."""
    page = selectors.agreement_page(access=access, agreement=agreement)
    partner_of = {int(pk): partner for partner, pk in agreement.partner_organisations.items()}
    signatures = selectors.agreement_signatures(agreement=agreement).select_related("organisation")
    out = SignoffOut(
        version=agreement.version,
        agreed=page.signed,
        partners=[_partner(row, partner_of.get(row.organisation.pk)) for row in page.signing],
        signatures=[_signature(signature) for signature in signatures[:500]],
    )
    response["ETag"] = view_etag("signoff", agreement.pk, out)
    return out


@router.get(
    "/{partnership_id}/agreement/signatures",
    response={200: SignoffOut, **errors()},
    summary="Who signed which version of the agreement",
)
def signature_list(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> SignoffOut:
    """Each active partner's place on the version in force and every signature given, as the agreement
    page shows them; ``agreed`` once every active partner signed the version in force."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    return _signoff(response, access, selectors.agreement_get(access=access))


@router.post(
    "/{partnership_id}/agreement/signatures",
    response={201: SignoffOut, **errors(400, 403, 409)},
    summary="Sign the version in force for one partner organisation",
)
def signature_add(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, payload: SignIn
) -> Status[SignoffOut]:
    """Sign ``version`` for a partner organisation (its admins and owners; never a facilitator), as its
    Sign button does. 409 when ``version`` is no longer in force (someone changed the agreement since it
    was read: read it and sign again) or the organisation signed it already; nothing is signed then."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.MANAGE)
    agreement = selectors.agreement_get(access=access)
    partner = next(
        (o for o in active_organisations(partnership=access.partnership) if o.slug == payload.organisation),
        None,
    )
    if partner is None:
        raise ApiError(
            422, "No active partner of this partnership has this slug; nothing was signed.",
            problems=[("body.payload.organisation", "Name an active partner by its slug.")],
        )  # fmt: skip
    form = valid_form(SignForm({"organisation": partner.pk, "version": payload.version}), what="signature")
    try:
        services.agreement_sign(
            access=access, agreement=agreement, organisation_id=partner.pk,
            version=form.cleaned_data["version"], user=request_token(request).user,
        )  # fmt: skip
    except services.AgreementError as exc:
        # The service's refusal: not theirs to sign (403), or out of date or signed already (409).
        raise ApiError(
            409 if selectors.may_sign(access=access, organisation_id=partner.pk) else 403, str(exc)
        ) from None
    return Status(201, _signoff(response, access, selectors.agreement_get(access=access)))


# --- comments --------------------------------------------------------------------------------------


def _comment(comment: Comment) -> CommentOut:
    return CommentOut(
        id=comment.pk, section=comment.section, author=comment.author_name,
        as_facilitator=comment.as_facilitator, text=comment.text, version=comment.version,
        created_at=comment.created_at,
    )  # fmt: skip


@router.get(
    "/{partnership_id}/agreement/comments",
    response={200: CommentList, **errors()},
    summary="The comments on the agreement's parts",
)
def comment_list(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> CommentList:  # fmt: skip
    """Every comment on any part, oldest first, as the agreement page shows them under each part (paged)."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    comments = selectors.agreement_comments(agreement=selectors.agreement_get(access=access))
    page = [_comment(comment) for comment in comments[offset : offset + limit]]
    out = CommentList(items=page, count=comments.count(), limit=limit, offset=offset)
    response["ETag"] = view_etag("comments", partnership_id, out)
    return out


@router.post(
    "/{partnership_id}/agreement/comments",
    response={201: CommentOut, **errors(400, 403)},
    summary="Comment on a part of the agreement",
)
def comment_add(request: HttpRequest, partnership_id: Id, payload: CommentIn) -> Status[CommentOut]:
    """Add a remark on one part (a partner's member or a facilitator; a viewer only reads). A comment
    names the version it was written on and does not change the agreement."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW, writes=True)
    if not selectors.may_comment(access=access):
        raise refuse(request, access, Action.EDIT)
    agreement = selectors.agreement_get(access=access)
    form = valid_form(CommentForm(payload.model_dump()), what="comment")
    try:
        comment = services.agreement_comment_add(
            access=access, agreement=agreement, part_key=form.cleaned_data["section"],
            text=form.cleaned_data["text"], user=request_token(request).user,
        )  # fmt: skip
    except services.AgreementError as exc:
        raise ApiError(422, str(exc)) from None
    return Status(201, _comment(comment))


# --- a partner's contribution ----------------------------------------------------------------------


def _lock(partner_id: str) -> LockedRecords[Agreement, ContributionOut]:
    """Partner ``partner_id``'s contribution; its ETag ``"contribution-<agreement id>-v<version>-<digest>"``
    moves with every saved change of the agreement, as a part's does (404 for a partner it does not
    name)."""

    def show(access: PartnershipAccess, agreement: Agreement) -> ContributionOut:
        partner = next((p for p in agreement.document["who"]["partners"] if p["id"] == partner_id), None)
        if partner is None:
            raise Http404
        return ContributionOut(
            partner=partner_id, name=partner["name"], contribution=partner.get("contribution") or None,
            version=agreement.version,
        )  # fmt: skip

    return LockedRecords("contribution", "contribution", show)


@router.get(
    "/{partnership_id}/agreement/contributions/{partner_id}",
    response={200: ContributionOut, **errors()},
    summary="What one partner brings, in its own words",
)
def contribution_get(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, partner_id: PartnerId
) -> ContributionOut:
    """One partner's contribution (its id as the agreement's WHO names it); its ETag goes into If-Match
    of a change."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    return _lock(partner_id).answer(response, access, selectors.agreement_get(access=access))


@router.put(
    "/{partnership_id}/agreement/contributions/{partner_id}",
    response={200: ContributionOut, **errors(400, 403, 412, 428)},
    openapi_extra=_lock("").if_match,
    summary="State what one partner brings, in its own words",
)
def contribution_update(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, partner_id: PartnerId,
    payload: ContributionIn,
) -> ContributionOut:  # fmt: skip
    """Set the partner's contribution if If-Match is still current; only that partner's members may (403
    for anyone else), as on the agreement page. Like any change of the terms, this makes a new version,
    and a signed agreement goes back to draft: every partner signs again."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    agreement = selectors.agreement_get(access=access)
    lock = _lock(partner_id)
    shown, _ = lock.shown(access, agreement)  # 404 for a partner the agreement does not name
    if partner_id not in selectors.speaks_for(access=access, agreement=agreement):
        # Whatever the If-Match: it is not theirs to change (the service refuses it too).
        raise ApiError(403, f"Only {shown.name}'s members can state its contribution in its own words.")

    def change(version: int) -> None:
        form = valid_form(
            ContributionForm(
                {"partner": partner_id, "contribution": payload.contribution, "version": version}
            ),
            what="contribution",
        )
        try:
            services.agreement_contribution_update(
                access=access, agreement=agreement, partner_id=partner_id,
                text=form.cleaned_data["contribution"], expected_version=version,
                user=request_token(request).user,
            )  # fmt: skip
        except services.AgreementError as exc:  # the agreement would not be valid with it
            raise ApiError(422, str(exc)) from None

    lock.guarded(request, access, agreement, change)
    return lock.answer(response, access, selectors.agreement_get(access=access))
