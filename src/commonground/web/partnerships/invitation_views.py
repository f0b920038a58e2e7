"""Views of emailed partnership invitations: the partners send and withdraw them from the partnership
page; the invitee opens the emailed link (or their list) to accept or decline.

Whatever the address typed, sending answers the same (message, page, status): see
``services/invitations.py`` for why it cannot differ.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commonground.web.access import Action, partnership_scoped, public, role_allows, scoped
from commonground.web.accounts.typing import AuthenticatedHttpRequest, User
from commonground.web.organisations.forms import OrganisationCreateForm
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships import invitation_selectors as selectors
from commonground.web.partnerships import services
from commonground.web.partnerships.invitation_forms import InviteForm, JoinForm
from commonground.web.partnerships.invitation_selectors import InvitationAccess, invitation_access
from commonground.web.partnerships.models import InvitationKind, PartnershipInvitation
from commonground.web.partnerships.selectors import PartnershipAccess, active_organisations

_ANSWER = "partnerships/invitations/answer.html"
_CLOSED = "partnerships/invitations/closed.html"


def _on_behalf(access: PartnershipAccess) -> list[Organisation]:
    """The partner organisations the user administers, which an invitation can be sent on behalf of."""
    managed = [pk for pk, role in access.org_roles if role_allows(role, Action.MANAGE)]
    return list(Organisation.objects.filter(pk__in=managed).order_by("name", "pk"))


def invitation_panel(access: PartnershipAccess) -> dict[str, Any]:
    """What the partnership page shows of invitations: for its admins, the forms and every invitation's
    state; for anyone else nothing (the addresses are personal)."""
    if not access.can_manage:
        return {"invitations": [], "invite_form": None, "facilitator_form": None}
    on_behalf = _on_behalf(access)
    return {
        "invitations": selectors.invitation_list(access=access),
        "invite_form": InviteForm(kind=InvitationKind.PARTNER, on_behalf=on_behalf),
        "facilitator_form": InviteForm(kind=InvitationKind.FACILITATOR, on_behalf=on_behalf),
    }


def _send(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, kind: InvitationKind
) -> HttpResponseBase:
    form = InviteForm(request.POST, kind=kind, on_behalf=_on_behalf(access))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
    else:
        try:
            invitation = services.invitation_send(
                access=access,
                kind=kind,
                email=form.cleaned_data["email"],
                organisation_id=form.cleaned_data.get("organisation"),
                link_for=lambda token: request.build_absolute_uri(reverse("partnerships:join", args=[token])),
                user=request.user,
            )
        except services.PartnershipError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Invitation emailed to {invitation.email}. It is valid until "
                f"{invitation.expires_at:%Y-%m-%d} UTC; its state is listed under Invitations.",
            )
    return redirect("partnerships:detail", pk=access.partnership.pk)


@partnership_scoped(Action.MANAGE)
@require_POST
def member_invite(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Email an invitation to bring an organisation in, to the address typed (whoever it is)."""
    return _send(request, access, InvitationKind.PARTNER)


@partnership_scoped(Action.MANAGE)
@require_POST
def facilitator_invite(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Email an invitation to facilitate, to the address typed (whoever it is)."""
    return _send(request, access, InvitationKind.FACILITATOR)


@partnership_scoped(Action.MANAGE)
@require_POST
def invitation_revoke(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, invite_id: int
) -> HttpResponseBase:
    """Withdraw a pending invitation: its link stops working."""
    invitation = selectors.invitation_get(access=access, invite_id=invite_id)
    try:
        services.invitation_revoke(access=access, invitation=invitation, user=request.user)
    except services.PartnershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"The invitation to {invitation.email} is withdrawn; its link no longer works."
        )
    return redirect("partnerships:detail", pk=access.partnership.pk)


@public
@require_http_methods(["GET", "POST"])
def invitation_join(request: HttpRequest, token: str) -> HttpResponseBase:
    """The emailed link: anyone holding it sees the invitation and may decline; an account with the
    invited address accepts (signing up or in from here comes back here)."""
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None:
        return render(request, _CLOSED, {"invitation": None}, status=404)
    return _answer(request, invitation)


@scoped(Action.VIEW, resolve=invitation_access, consumes=("invite_id",))
@require_http_methods(["GET", "POST"])
def invitation_answer(request: AuthenticatedHttpRequest, access: InvitationAccess) -> HttpResponseBase:
    """An invitation sent to the user's verified address, opened from their list."""
    return _answer(request, access.invitation)


def _answer(request: HttpRequest, invitation: PartnershipInvitation) -> HttpResponseBase:
    """The invitation page: who invites, to what, with whom; accept (choosing the organisation) or decline."""
    if not invitation.is_pending:
        return render(request, _CLOSED, {"invitation": invitation})
    user: User | None = request.user if request.user.is_authenticated else None
    answer = request.POST.get("answer") if request.method == "POST" else None
    partnership_url = request.build_absolute_uri(
        reverse("partnerships:detail", kwargs={"pk": invitation.partnership_id})
    )
    if answer == "decline":
        try:
            services.invitation_decline(invitation=invitation, user=user, partnership_url=partnership_url)
        except services.PartnershipError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "You declined the invitation; the partners who sent it are told.")
        return redirect(request.path)
    if answer == "accept" and user is None:
        return redirect(f"{reverse('accounts:sign_in')}?next={request.path}")
    join_form, new_form = _join_forms(request.POST if answer == "accept" else None, invitation, user)
    if answer == "accept" and user is not None:
        response = _accept(request, invitation, user, join_form, new_form, partnership_url)
        if response is not None:
            return response
    matches = user is not None and (user.email or "").strip().lower() == invitation.email
    context = {
        "invitation": invitation,
        "partners": active_organisations(partnership=invitation.partnership),
        "matches": matches,
        "join_form": join_form,
        "new_form": new_form,
    }
    return render(request, _ANSWER, context)


def _join_forms(
    data: Any, invitation: PartnershipInvitation, user: User | None
) -> tuple[JoinForm | None, OrganisationCreateForm | None]:
    """For a signed-in invitee of a partner invitation: which organisation joins, and a new one's fields."""
    if user is None or invitation.kind != InvitationKind.PARTNER:
        return None, None
    options = selectors.joinable_organisations(user=user, invitation=invitation)
    return JoinForm(data, options=options), OrganisationCreateForm(data, prefix="new")


def _accept(
    request: HttpRequest,
    invitation: PartnershipInvitation,
    user: User,
    join_form: JoinForm | None,
    new_form: OrganisationCreateForm | None,
    partnership_url: str,
) -> HttpResponse | None:
    """Accept; a redirect to the partnership, or None to show the page again with what went wrong."""
    chosen: dict[str, Any] = {}
    if join_form is not None and new_form is not None:
        if not join_form.is_valid():
            return None
        if join_form.creates:
            profile = new_form.profile()
            if profile is None:
                return None
            chosen["new_organisation"] = profile
        else:
            chosen["organisation_id"] = int(join_form.cleaned_data["organisation"])
    try:
        accepted = services.invitation_accept(
            invitation=invitation, user=user, partnership_url=partnership_url, **chosen
        )
    except services.PartnershipError as exc:
        messages.error(request, str(exc))
        return None
    if accepted.joined_organisation is not None:
        messages.success(
            request, f"{accepted.joined_organisation.name} has joined {accepted.partnership.name}."
        )
    else:
        messages.success(request, f"You now facilitate {accepted.partnership.name}.")
    return redirect("partnerships:detail", pk=accepted.partnership_id)
