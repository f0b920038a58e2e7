"""Thin views for organisations, members and invitations: authorise, bind a form, call a service."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commonground.core.orientation import orientation_words
from commonground.web.access import Action, Role, org_scoped, public, signed_in
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.audit import security_event
from commonground.web.organisations import selectors, services
from commonground.web.organisations.completeness import missing_parts, missing_words
from commonground.web.organisations.forms import InvitationForm, OrganisationCreateForm, RoleForm
from commonground.web.organisations.naming import kind_words
from commonground.web.organisations.profile_words import (
    PRIORITY_WORDS,
    SEVERITY_WORDS,
    STANCE_WORDS,
    culture_rows,
)
from commonground.web.organisations.selectors import OrgAccess


@signed_in
@require_POST
def invitation_send_link(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponseBase:
    """Accept from the home page: email the invitee a fresh accept link (proves the address is theirs)."""
    try:
        invitation = services.invitation_resend(
            invitation_id=invitation_id,
            user=request.user,
            link_for=lambda token: request.build_absolute_uri(reverse("invitation_accept", args=[token])),
        )
    except services.OrganisationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"We have emailed a link to {invitation.email}: open it to join {invitation.organisation.name}.",
        )
    return redirect("home:index")


@signed_in
@require_http_methods(["GET", "POST"])
def organisation_new(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Create an organisation; the creator becomes its owner."""
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)  # add_error() drops a field from cleaned_data
        profile = form.profile()
        same_name = selectors.organisation_named_for_user(user=request.user, name=data["name"])
        if same_name is not None and not data["location"].strip():
            form.add_error(
                "location",
                f"You already have an organisation called {same_name.name} ({same_name.descriptor}). "
                "Say where this one is based, so that you and your partners can tell them apart.",
            )
        if profile is not None and form.is_valid():
            organisation = services.organisation_create(
                user=request.user, profile=profile, location=data["location"]
            )
            messages.success(request, f"{organisation.name} is created. Add the rest of its profile below.")
            return redirect("organisations:profile_edit", slug=organisation.slug)
    return render(request, "organisations/new.html", {"form": form})


@org_scoped(Action.VIEW)
def organisation_detail(request: AuthenticatedHttpRequest, access: OrgAccess) -> HttpResponse:
    """The organisation's profile, read-only, in words; what is still empty; SDGs to accept for goals."""
    organisation = access.organisation
    profile = organisation.get_profile()
    missing = missing_parts(organisation.profile)
    context = {
        "access": access,
        "organisation": organisation,
        "profile": profile,
        "kind": kind_words(profile.kind.value),
        "orientation": orientation_words(profile.orientation.profit_purpose).capitalize()
        if profile.orientation
        else "",
        "culture": culture_rows(profile.culture.as_dict()) if profile.culture else [],
        "missing": missing,
        "missing_text": missing_words(missing),
        "goals_without_sdgs": sum(1 for goal in profile.goals if not goal.sdgs),
        "goals": [(goal, PRIORITY_WORDS[goal.priority]) for goal in profile.goals],
        "red_lines": [(red_line, SEVERITY_WORDS[red_line.severity]) for red_line in profile.red_lines],
        "stakeholders": [(s, STANCE_WORDS[s.stance] if s.stance else "—") for s in profile.stakeholders],
    }
    return render(request, "organisations/detail.html", context)


@org_scoped(Action.OWN)
@require_http_methods(["GET", "POST"])
def organisation_delete(request: AuthenticatedHttpRequest, access: OrgAccess) -> HttpResponseBase:
    """Delete the organisation after the owner types its name."""
    if request.method == "POST":
        if request.POST.get("confirm_name", "").strip() == access.organisation.name:
            name = access.organisation.name
            services.organisation_delete(access=access)
            messages.success(request, f"{name} is deleted.")
            return redirect("home:index")
        messages.error(request, "Type the organisation's name exactly to confirm.")
    return render(
        request, "organisations/delete.html", {"access": access, "organisation": access.organisation}
    )


@org_scoped(Action.OWN)
@require_POST
def mfa_requirement(request: AuthenticatedHttpRequest, access: OrgAccess) -> HttpResponseBase:
    """Ask the owners to use two-factor sign-in for the organisation's pages, or stop asking (owners)."""
    required = request.POST.get("owners_need_mfa") == "on"
    try:
        services.organisation_mfa_requirement_set(access=access, user=request.user, required=required)
    except services.OrganisationError as exc:
        messages.error(request, str(exc))
    else:
        security_event(
            "organisation_mfa_requirement", request=request, organisation=access.organisation.slug,
            required=required,
        )  # fmt: skip
        messages.success(
            request,
            "Owners now need two-factor sign-in for this organisation's pages."
            if required
            else "Owners no longer need two-factor sign-in here (each may keep using it).",
        )
    return redirect("organisations:members", slug=access.organisation.slug)


@org_scoped(Action.VIEW)
def member_list(request: AuthenticatedHttpRequest, access: OrgAccess) -> HttpResponse:
    """Members and, for admins, open invitations and the invite form."""
    context = {
        "access": access,
        "organisation": access.organisation,
        "members": list(selectors.membership_list(access=access)),
        "invitations": selectors.invitation_list_open(access=access) if access.can_manage else [],
        "invite_form": InvitationForm() if access.can_manage else None,
        "roles": Role.choices(),
    }
    return render(request, "organisations/members.html", context)


@org_scoped(Action.MANAGE)
@require_POST
def member_change_role(
    request: AuthenticatedHttpRequest, access: OrgAccess, membership_id: int
) -> HttpResponseBase:
    """Give a member another role."""
    membership = selectors.membership_get(access=access, membership_id=membership_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_role(
                access=access, membership=membership, role=Role(form.cleaned_data["role"])
            )
            messages.success(request, f"{membership.user.get_username()} is now {form.cleaned_data['role']}.")
        except services.OrganisationError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "Choose one of the listed roles.")
    return redirect("organisations:members", slug=access.organisation.slug)


@org_scoped(Action.MANAGE)
@require_POST
def member_remove(
    request: AuthenticatedHttpRequest, access: OrgAccess, membership_id: int
) -> HttpResponseBase:
    """Remove a member from the organisation."""
    membership = selectors.membership_get(access=access, membership_id=membership_id)
    try:
        services.membership_remove(access=access, membership=membership)
        messages.success(request, f"{membership.user.get_username()} is no longer a member.")
    except services.OrganisationError as exc:
        messages.error(request, str(exc))
    return redirect("organisations:members", slug=access.organisation.slug)


@org_scoped(Action.VIEW)
@require_POST
def organisation_leave(request: AuthenticatedHttpRequest, access: OrgAccess) -> HttpResponseBase:
    """Leave the organisation (any member; not the last owner)."""
    try:
        services.membership_leave(access=access)
    except services.OrganisationError as exc:
        messages.error(request, str(exc))
        return redirect("organisations:members", slug=access.organisation.slug)
    messages.success(request, f"You have left {access.organisation.name}.")
    return redirect("home:index")


@org_scoped(Action.MANAGE)
@require_POST
def invitation_new(request: AuthenticatedHttpRequest, access: OrgAccess) -> HttpResponseBase:
    """Email an invitation link."""
    form = InvitationForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(str(error) for error in errors)}")
        return redirect("organisations:members", slug=access.organisation.slug)
    try:
        invitation = services.invitation_send(
            access=access,
            email=form.cleaned_data["email"],
            role=Role(form.cleaned_data["role"]),
            link_for=lambda token: request.build_absolute_uri(reverse("invitation_accept", args=[token])),
            user=request.user,
        )
        messages.success(request, f"Invitation sent to {invitation.email}.")
    except services.OrganisationError as exc:
        messages.error(request, str(exc))
    return redirect("organisations:members", slug=access.organisation.slug)


@org_scoped(Action.MANAGE)
@require_POST
def invitation_revoke(
    request: AuthenticatedHttpRequest, access: OrgAccess, invitation_id: int
) -> HttpResponseBase:
    """Withdraw an open invitation."""
    invitation = selectors.invitation_get(access=access, invitation_id=invitation_id)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
    return redirect("organisations:members", slug=access.organisation.slug)


@public
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponseBase:
    """Show an invitation (anyone with the link) and let the signed-in invitee accept it."""
    invitation = selectors.invitation_by_token(token=token)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:sign_in')}?next={request.path}")
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except services.OrganisationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Welcome to {membership.organisation.name}.")
            return redirect("organisations:detail", slug=membership.organisation.slug)
    return render(
        request,
        "organisations/invitation.html",
        {"invitation": invitation if invitation and invitation.is_open else None},
    )
