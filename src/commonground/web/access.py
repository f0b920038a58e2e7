"""The access layer: every view declares who may call it, through this one module.

How a view declares its policy (the policy-walk test fails on a view that declares none):

    @public                                  # anyone, signed in or not (sign-in, sign-up, reset)
    @token_authenticated                     # the API: an access token, never the session (web/api/)
    @signed_in                               # any signed-in user (their account, creating an organisation)
    @staff_only                              # operators (``is_staff``); others get 404
    @org_scoped(Action.EDIT)                 # a member of the organisation in the URL's ``slug`` whose
    def profile_edit(request, access): ...   # role allows EDIT; the view receives the OrgAccess

    @partnership_scoped(Action.EDIT)         # a partner's member (or facilitator, VIEW only) of the
    def initiative_new(request, access): ... # partnership in the URL's ``pk``; gets the PartnershipAccess

    @scoped(Action.VIEW, resolve=invitation_access, consumes=("invite_id",))
    def invitation_answer(request, access): ...   # any other scoped object: ``resolve`` returns a Scope

Role checks go through this module too: ``role_allows(role, action)``, ``roles_allowing(action)``,
``Role.best(roles)`` and a scope's ``can(action)``; never a comparison with a role's name.

Rules the scoped decorators enforce:
- Two-factor sign-in where it is required: an owner of an organisation that asks its owners for it
  (the scope's ``needs_mfa``) is sent to set it up first (``mfa_setup_redirect``); so is a site
  administrator on /admin/ (``admin_gate``, run by ``middleware.AdminRequiresMfaMiddleware``).
- The object is looked up only through a selector scoped by the user's memberships, so someone who
  is not a member gets **404**, exactly as if the object did not exist.
- A member whose role does not allow the action gets **403**.
- Both refusals are written to the ``commonground.security`` log (who, what, when in UTC).

Roles (each includes everything the roles below it may do):
- viewer — read the organisation's pages, export its profile, see history and members.
- member — also edit profile content (edit, import, restore earlier versions).
- admin  — also manage members, invitations and roles (not owners), and partnerships.
- owner  — also delete the organisation and grant or remove the owner role (transfer).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from commonground.web.audit import security_event

if TYPE_CHECKING:  # only for annotations: models import this module for Role, before auth's models load
    from commonground.web.accounts.typing import User

V = TypeVar("V", bound=Callable[..., Any])
M = TypeVar("M", bound=Model)


class Role(StrEnum):
    """A user's role in an organisation, most powerful first."""

    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return self.value.capitalize()

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """Choices for model and form fields."""
        return [(role.value, role.label) for role in cls]

    @property
    def rank(self) -> int:
        """Place on the ladder: 0 for the most powerful role (owner), then one more per step down."""
        return list(Role).index(self)

    @classmethod
    def best(cls, roles: Iterable[Role]) -> Role:
        """The most powerful of ``roles`` (at least one)."""
        return min(roles, key=lambda role: role.rank)


class Action(StrEnum):
    """What a request wants to do with a scoped object."""

    VIEW = "view"
    EDIT = "edit"
    MANAGE = "manage"
    OWN = "own"


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.VIEW}),
    Role.MEMBER: frozenset({Action.VIEW, Action.EDIT}),
    Role.ADMIN: frozenset({Action.VIEW, Action.EDIT, Action.MANAGE}),
    Role.OWNER: frozenset({Action.VIEW, Action.EDIT, Action.MANAGE, Action.OWN}),
}


def role_allows(role: Role | str, action: Action) -> bool:
    """Whether ``role`` may perform ``action``."""
    return action in ROLE_ACTIONS[Role(role)]


def roles_allowing(action: Action) -> list[Role]:
    """The roles that may perform ``action``, most powerful first (for queries over memberships)."""
    return [role for role in Role if role_allows(role, action)]


class Scope(Protocol):
    """What a scoped selector returns: the object reached and the user's role towards it."""

    @property
    def role(self) -> Role: ...

    def describe(self) -> str:
        """Short label of the object for the security log, e.g. ``organisation=harbor``."""
        ...


class RoleChecks:
    """What a scope's ``role`` allows, for views and templates (``access.can_edit``): mix into a Scope."""

    # The scope provides ``role`` (a dataclass field or a property); declared for type checking only,
    # since a property here would become the default of a subclass's dataclass field.
    if TYPE_CHECKING:

        @property
        def role(self) -> Role: ...

    def can(self, action: Action | str) -> bool:
        """Whether the user's role allows ``action``."""
        return role_allows(self.role, Action(action))

    @property
    def can_edit(self) -> bool:
        """Shortcut for templates."""
        return self.can(Action.EDIT)

    @property
    def can_manage(self) -> bool:
        """Shortcut for templates."""
        return self.can(Action.MANAGE)


Resolver = Callable[[HttpRequest, dict[str, Any]], Scope]


@dataclass(frozen=True)
class Policy:
    """The access policy a view declares."""

    kind: str  # "public" | "signed_in" | "staff" | "scoped" | "token"
    action: Action | None = None
    note: str = ""


# URL namespaces whose views are not ours to decorate, with the reason they are safe.
EXEMPT_NAMESPACES: dict[str, str] = {
    "admin": (
        "Django admin: every view goes through AdminSite.admin_view, which requires is_staff; "
        "admin_gate adds two-factor sign-in and our two-step sign-in page."
    ),
}


def _declare(view: V, policy: Policy) -> V:
    view.access_policy = policy  # type: ignore[attr-defined]
    return view


def policy_of(callback: Callable[..., Any]) -> Policy | None:
    """The policy a URL callback declares (function views or ``as_view()`` results), else None."""
    declared = getattr(callback, "access_policy", None)
    if declared is None and hasattr(callback, "view_class"):
        declared = getattr(callback.view_class, "access_policy", None)
    return declared if isinstance(declared, Policy) else None


def public(view: V) -> V:
    """Open to everyone, including anonymous visitors."""
    return _declare(login_not_required(view), Policy("public"))


def token_authenticated(view: V) -> V:
    """An API view: no session sign-in; it authenticates an access token itself and scopes every object
    through the selectors below (``commonground.web.api.scopes``)."""
    return _declare(login_not_required(view), Policy("token"))


def signed_in(view: V) -> V:
    """Open to any signed-in user (LoginRequiredMiddleware redirects anonymous visitors)."""
    return _declare(view, Policy("signed_in"))


def staff_only(view: V) -> V:
    """Open to operators (``is_staff``); everyone else gets 404 and a log line."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not getattr(request.user, "is_staff", False):
            security_event("refused", request=request, reason="not_staff", answer=404)
            raise Http404
        response: HttpResponseBase = view(request, *args, **kwargs)
        return response

    return _declare(wrapper, Policy("staff"))  # type: ignore[return-value]


def refuse(request: HttpRequest, scope: Scope, action: Action) -> PermissionDenied:
    """Log a refusal of ``action`` on ``scope`` and return the 403 exception to raise."""
    security_event(
        "refused", request=request, reason="role", scope=scope.describe(), role=str(scope.role),
        action=str(action), answer=403,
    )  # fmt: skip
    return PermissionDenied(f"Your role ({scope.role.label}) does not allow this.")


def not_found(request: HttpRequest, what: str) -> Http404:
    """Log a lookup refused because the user may not know ``what`` exists; return the 404 to raise."""
    security_event("refused", request=request, reason="not_in_scope", lookup=what, answer=404)
    return Http404("Not found.")


def signed_in_user(request: HttpRequest) -> User:
    """The request's signed-in user; Http404 for anyone else (a scoped lookup never answers anonymous)."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    return user


def first_or_404(queryset: QuerySet[M]) -> M:
    """The first row of a scoped lookup; Http404 when there is none (the user may not reach it)."""
    found = queryset.first()
    if found is None:
        raise Http404
    return found


def require(request: HttpRequest, scope: Scope, action: Action) -> None:
    """Raise (and log) 403 unless the scope's role allows ``action``; for checks inside a view."""
    if not role_allows(scope.role, action):
        raise refuse(request, scope, action)


def scoped(action: Action, *, resolve: Resolver, consumes: Iterable[str]) -> Callable[[V], V]:
    """Resolve the URL's object through a scoped selector, check the role, pass the scope to the view.

    ``resolve(request, lookup)`` gets the URL kwargs named in ``consumes`` and must raise
    ``Http404`` when the user has no membership that reaches the object.
    """
    keys = tuple(consumes)

    def decorate(view: V) -> V:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            lookup = {key: kwargs.pop(key) for key in keys}
            try:
                scope = resolve(request, lookup)
            except Http404:
                described = ",".join(f"{key}={value}" for key, value in lookup.items())
                raise not_found(request, described) from None
            require(request, scope, action)
            if getattr(scope, "needs_mfa", False) and mfa_missing(signed_in_user(request)):
                return mfa_setup_redirect(request, why=scope.describe())
            return view(request, scope, *args, **kwargs)  # type: ignore[no-any-return]

        return _declare(wrapper, Policy("scoped", action=action, note=resolve.__name__))  # type: ignore[return-value]

    return decorate


def org_scoped(action: Action) -> Callable[[V], V]:
    """Scope by the organisation named by the URL's ``slug``; the view receives an ``OrgAccess``."""

    def resolve_organisation(request: HttpRequest, lookup: dict[str, Any]) -> Scope:
        # Imported here: models import this module for Role.
        from commonground.web.organisations.selectors import organisation_access

        return organisation_access(user=signed_in_user(request), slug=lookup["slug"])

    resolve_organisation.__name__ = "organisation_access"
    return scoped(action, resolve=resolve_organisation, consumes=("slug",))


def partnership_scoped(action: Action) -> Callable[[V], V]:
    """Scope by the partnership in the URL's ``pk``; the view receives a ``PartnershipAccess``.

    Reached through a membership of an active partner organisation (best role across them) or an
    active facilitator place (read only); see ``partnerships.selectors.partnership_access_for``.
    """

    def resolve_partnership(request: HttpRequest, lookup: dict[str, Any]) -> Scope:
        # Imported here: models import this module for Role.
        from commonground.web.partnerships.selectors import partnership_access_for

        return partnership_access_for(user=signed_in_user(request), partnership_id=int(lookup["pk"]))

    resolve_partnership.__name__ = "partnership_access"
    return scoped(action, resolve=resolve_partnership, consumes=("pk",))


def mfa_missing(user: User) -> bool:
    """Whether the signed-in ``user`` has no two-factor sign-in (one query)."""
    # Imported here: the accounts app's models import this module (through organisations) for Role.
    from commonground.web.accounts.mfa_selectors import mfa_enabled

    return not mfa_enabled(user=user)


def mfa_setup_redirect(request: HttpRequest, *, why: str) -> HttpResponseBase:
    """Send someone who must use two-factor sign-in here to set it up, then back to this page (logged)."""
    # Imported here: messages' storage is only needed on this path.
    from django.contrib import messages

    security_event("refused", request=request, reason="mfa_required", scope=why, answer=302)
    messages.warning(
        request,
        "This page needs two-factor sign-in: set up an authenticator app to continue.",
        fail_silently=True,
    )
    back = request.get_full_path() if request.method == "GET" else ""
    url = reverse("accounts:mfa_setup") + (f"?{urlencode({'next': back})}" if back else "")
    if getattr(request, "htmx", False):
        # htmx would swap the set-up page into the fragment that asked; let it load the page instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def admin_gate(request: HttpRequest) -> HttpResponseBase | None:
    """For /admin/ (None elsewhere): its own sign-in form is replaced by ours, which asks for the code,
    and a site administrator without two-factor sign-in is sent to set it up; None lets the view answer."""
    match = request.resolver_match
    if match is None or match.namespace not in EXEMPT_NAMESPACES:
        return None
    if match.url_name == "login":
        if request.user.is_authenticated:
            # Our sign-in page sends a signed-in person straight back to ``next`` (/admin/), whose
            # login redirect would send them here again, without end: someone signed in who is not
            # staff has nothing to sign in to here.
            raise Http404
        target = request.GET.get("next") or reverse("admin:index")
        return HttpResponseRedirect(f"{reverse('accounts:sign_in')}?{urlencode({'next': target})}")
    user = request.user
    if user.is_authenticated and user.is_active and user.is_staff and mfa_missing(user):
        return mfa_setup_redirect(request, why="admin")
    return None
