"""Every view declares an access policy; outsiders get 404 and change nothing; viewers cannot edit."""

from __future__ import annotations

import ast
import logging
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from url_walk import our_urls, walk_urls

import commonground.web
from commonground.web.access import (
    Action,
    Role,
    partnership_scoped,
    policy_of,
    role_allows,
    roles_allowing,
)
from commonground.web.organisations.models import Invitation, Membership, Organisation


def test_every_view_declares_an_access_policy() -> None:
    walked = walk_urls()
    ours = [route for route in walked if not route.exempt]
    undeclared = [
        f"{r.route} ({r.callback.__module__}.{r.callback.__name__})"
        for r in ours
        if policy_of(r.callback) is None
    ]
    assert len(ours) > 20  # the walk really reached the included apps
    assert any(r.namespace == "admin" for r in walked)  # and the admin exists, exempted by name
    assert undeclared == []


def test_only_public_views_skip_the_sign_in_requirement() -> None:
    for route in our_urls():
        policy = policy_of(route.callback)
        assert policy is not None
        open_to_anonymous = getattr(route.callback, "login_required", True) is False
        # API views skip the session sign-in: they authenticate an access token themselves (web/api/auth.py).
        assert open_to_anonymous == (policy.kind in {"public", "token"}), route.route


def test_walk_catches_a_view_without_policy() -> None:
    def bare_view(request: Any) -> None:
        return None

    assert policy_of(bare_view) is None


def test_role_ladder() -> None:
    assert role_allows(Role.VIEWER, Action.VIEW)
    assert not role_allows(Role.VIEWER, Action.EDIT)
    assert role_allows(Role.MEMBER, Action.EDIT)
    assert not role_allows(Role.MEMBER, Action.MANAGE)
    assert role_allows(Role.ADMIN, Action.MANAGE)
    assert not role_allows(Role.ADMIN, Action.OWN)
    assert role_allows(Role.OWNER, Action.OWN)


def test_the_best_role_is_the_one_highest_on_the_ladder() -> None:
    assert Role.best([Role.VIEWER, Role.ADMIN, Role.MEMBER]) == Role.ADMIN
    assert Role.best([Role.MEMBER, Role.OWNER]) == Role.OWNER
    assert [role.rank for role in (Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER)] == [0, 1, 2, 3]


def test_roles_allowing_an_action_follow_the_ladder() -> None:
    assert roles_allowing(Action.MANAGE) == [Role.OWNER, Role.ADMIN]
    assert roles_allowing(Action.VIEW) == list(Role)
    assert roles_allowing(Action.OWN) == [Role.OWNER]


def test_partnership_scoped_declares_a_scoped_policy_on_the_partnership() -> None:
    def view(request: Any, access: Any) -> None:
        return None

    policy = policy_of(partnership_scoped(Action.EDIT)(view))
    assert policy is not None
    assert (policy.kind, policy.action, policy.note) == ("scoped", Action.EDIT, "partnership_access")


def _role_name_comparisons(source: str) -> list[int]:
    """Lines comparing something with a role's name written as a string (``role in ("owner", "admin")``)."""
    names = {role.value for role in Role}
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        for side in (node.left, *node.comparators):
            items = side.elts if isinstance(side, (ast.Tuple, ast.List, ast.Set)) else [side]
            if any(isinstance(item, ast.Constant) and item.value in names for item in items):
                found.append(node.lineno)
    return found


def test_role_checks_go_through_the_access_layer() -> None:
    web = Path(commonground.web.__file__).parent
    offenders = {
        str(path.relative_to(web)): lines
        for path in sorted(web.rglob("*.py"))
        if path.name != "access.py" and "migrations" not in path.parts
        if (lines := _role_name_comparisons(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_role_name_scan_can_fail() -> None:
    assert _role_name_comparisons('managed = [m for m in ms if m.role in ("owner", "admin")]') == [1]
    assert _role_name_comparisons('ok = m.role == "viewer"') == [1]
    assert _role_name_comparisons("ok = role_allows(m.role, Action.MANAGE)") == []


def _org_urls(org: Organisation, membership_id: int, version_id: int) -> list[tuple[str, str]]:
    slug = org.slug
    return [
        ("get", reverse("organisations:detail", kwargs={"slug": slug})),
        ("get", reverse("organisations:members", kwargs={"slug": slug})),
        ("get", reverse("organisations:profile_edit", kwargs={"slug": slug})),
        ("post", reverse("organisations:profile_edit", kwargs={"slug": slug})),
        ("get", reverse("organisations:profile_import", kwargs={"slug": slug})),
        ("get", reverse("organisations:profile_export", kwargs={"slug": slug, "fmt": "yaml"})),
        (
            "get",
            reverse("organisations:suggest_sdgs", kwargs={"slug": slug}) + "?text=health+for+all+children",
        ),
        ("get", reverse("organisations:history", kwargs={"slug": slug})),
        ("post", reverse("organisations:restore", kwargs={"slug": slug, "version_id": version_id})),
        ("get", reverse("organisations:delete", kwargs={"slug": slug})),
        ("post", reverse("organisations:delete", kwargs={"slug": slug})),
        ("post", reverse("organisations:leave", kwargs={"slug": slug})),
        ("post", reverse("organisations:invitation_new", kwargs={"slug": slug})),
        ("post", reverse("organisations:member_role", kwargs={"slug": slug, "membership_id": membership_id})),
        (
            "post",
            reverse("organisations:member_remove", kwargs={"slug": slug, "membership_id": membership_id}),
        ),
    ]


def _snapshot() -> tuple[Any, ...]:
    return (
        list(Organisation.objects.values_list("pk", "version", "profile").order_by("pk")),
        list(Membership.objects.values_list("pk", "role").order_by("pk")),
        Invitation.objects.count(),
    )


def test_outsider_gets_404_everywhere_and_nothing_changes(
    outsider_client: Client, organisation: Organisation, member: Any, caplog: pytest.LogCaptureFixture
) -> None:
    membership = Membership.objects.get(user=member)
    from reversion.models import Version

    version_id = Version.objects.get_for_object(organisation).first().pk
    before = _snapshot()
    data = {"role": "owner", "email": "x@example.org", "confirm_name": organisation.name, "version": "1"}
    with caplog.at_level(logging.INFO, logger="commonground.security"):
        for method, url in _org_urls(organisation, membership.pk, version_id):
            response = (
                getattr(outsider_client, method)(url, data) if method == "post" else outsider_client.get(url)
            )
            assert response.status_code == 404, url
    assert _snapshot() == before
    refusals = [r.getMessage() for r in caplog.records if "event=refused" in r.getMessage()]
    assert len(refusals) == len(_org_urls(organisation, membership.pk, version_id))
    assert all("user=oscar-outsider" in line and "answer=404" in line for line in refusals)


def test_outsider_cannot_reach_a_membership_of_another_org_through_their_own(
    outsider_client: Client, other_organisation: Organisation, member: Any
) -> None:
    foreign = Membership.objects.get(user=member)
    url = reverse(
        "organisations:member_role", kwargs={"slug": other_organisation.slug, "membership_id": foreign.pk}
    )
    assert outsider_client.post(url, {"role": "viewer"}).status_code == 404
    assert Membership.objects.get(pk=foreign.pk).role == Role.MEMBER


def test_viewer_can_read_but_not_edit(
    viewer_client: Client, organisation: Organisation, caplog: pytest.LogCaptureFixture
) -> None:
    slug = organisation.slug
    assert viewer_client.get(reverse("organisations:detail", kwargs={"slug": slug})).status_code == 200
    assert viewer_client.get(reverse("organisations:history", kwargs={"slug": slug})).status_code == 200
    before = _snapshot()
    with caplog.at_level(logging.INFO, logger="commonground.security"):
        for name in ("profile_edit", "profile_import"):
            url = reverse(f"organisations:{name}", kwargs={"slug": slug})
            assert viewer_client.get(url).status_code == 403
            assert viewer_client.post(url, {"name": "Hijacked", "version": "1"}).status_code == 403
    assert _snapshot() == before
    assert any("answer=403" in r.getMessage() and "role='viewer'" in r.getMessage() for r in caplog.records)


def test_member_cannot_manage_members(member_client: Client, organisation: Organisation, viewer: Any) -> None:
    membership = Membership.objects.get(user=viewer)
    url = reverse(
        "organisations:member_role", kwargs={"slug": organisation.slug, "membership_id": membership.pk}
    )
    assert member_client.post(url, {"role": "admin"}).status_code == 403
    assert Membership.objects.get(pk=membership.pk).role == Role.VIEWER


def test_admin_cannot_delete_the_organisation(org_admin_client: Client, organisation: Organisation) -> None:
    url = reverse("organisations:delete", kwargs={"slug": organisation.slug})
    assert org_admin_client.post(url, {"confirm_name": organisation.name}).status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_anonymous_is_sent_to_sign_in(anonymous_client: Client, organisation: Organisation) -> None:
    response = anonymous_client.get(reverse("organisations:detail", kwargs={"slug": organisation.slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert anonymous_client.get(reverse("accounts:sign_in")).status_code == 200


def test_admin_site_is_for_staff_only(client_for: Any, member: Any, make_user: Any, with_mfa: Any) -> None:
    assert client_for(member).get("/admin/").status_code == 302  # to the admin sign-in
    staff = make_user("sam-staff", is_staff=True, is_superuser=True)
    with_mfa(staff)  # site administrators need two-factor sign-in (tests/web/accounts/test_mfa_required.py)
    assert client_for(staff).get("/admin/").status_code == 200
