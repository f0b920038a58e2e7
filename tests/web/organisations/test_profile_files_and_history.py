"""Import and export in the CLI's file format, and the recorded history with restore."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commonground.core.loading import dump_profile, parse_profile
from commonground.web.organisations.models import Organisation


def _url(name: str, organisation: Organisation, **kwargs: Any) -> str:
    return reverse(f"organisations:{name}", kwargs={"slug": organisation.slug, **kwargs})


def _import(client: Client, organisation: Organisation, name: str, content: bytes, version: int = 1) -> Any:
    upload = SimpleUploadedFile(name, content)
    return client.post(_url("profile_import", organisation), {"file": upload, "version": str(version)})


def test_export_is_the_cli_format(viewer_client: Client, organisation: Organisation) -> None:
    for fmt in ("yaml", "json"):
        response = viewer_client.get(_url("profile_export", organisation, fmt=fmt))
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{organisation.slug}.{fmt}"'
        assert response.content.decode() == dump_profile(organisation.get_profile(), fmt=fmt)
    assert viewer_client.get(_url("profile_export", organisation, fmt="xml")).status_code == 404


def test_export_then_import_gives_the_same_profile(
    member_client: Client,
    organisation: Organisation,
    other_organisation: Organisation,
    client_for: Any,
    outsider: Any,
) -> None:
    exported = member_client.get(_url("profile_export", organisation, fmt="yaml")).content
    # Import it into another organisation and compare.
    response = _import(client_for(outsider), other_organisation, "harbor.yaml", exported)
    assert response.status_code == 302
    other_organisation.refresh_from_db()
    assert other_organisation.get_profile() == organisation.get_profile()
    assert other_organisation.get_profile() == parse_profile(exported, source="harbor.yaml")


def test_import_with_problems_saves_nothing_and_lists_each_with_its_line(
    member_client: Client, organisation: Organisation
) -> None:
    bad = b"name: Harbor\nkind: charity\nmission: Help\nstakeholders:\n  - name: Parents\n    power: 9\n"
    response = _import(member_client, organisation, "bad.yaml", bad)
    assert response.status_code == 400
    problems = response.context["problems"]
    assert len(problems) >= 2
    assert {p.line for p in problems} >= {2, 6}
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "line 2" in page
    organisation.refresh_from_db()
    assert organisation.version == 1
    assert organisation.name == "Harbor Health Alliance"


def test_import_refuses_big_and_foreign_files(member_client: Client, organisation: Organisation) -> None:
    big = b"name: x\n" + b"#" * (1024 * 1024 + 1)
    response = _import(member_client, organisation, "big.yaml", big)
    assert response.status_code == 400
    assert "limit" in response.content.decode()
    response = _import(member_client, organisation, "profile.txt", b"name: x")
    assert response.status_code == 400
    organisation.refresh_from_db()
    assert organisation.version == 1


def test_an_escaped_nul_is_refused_with_its_field_not_a_server_error(
    member_client: Client, organisation: Organisation
) -> None:
    """Security finding F11 (a 500 on PostgreSQL before)."""
    nul = b'{"name": "Harbor", "kind": "nonprofit", "mission": "x\\u0000y"}'
    response = _import(member_client, organisation, "nul.json", nul)
    assert response.status_code == 400
    assert "mission" in response.content.decode()
    assert "NUL character" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.version == 1


def test_import_from_a_stale_page_is_refused(
    member_client: Client, owner_client: Client, organisation: Organisation
) -> None:
    good = dump_profile(organisation.get_profile().model_copy(update={"sector": "Other"})).encode()
    assert _import(owner_client, organisation, "a.yaml", good, version=1).status_code == 302
    response = _import(
        member_client, organisation, "b.json", b'{"name": "B", "kind": "other", "mission": "m"}'
    )
    assert response.status_code == 409
    organisation.refresh_from_db()
    assert organisation.name == "Harbor Health Alliance"


def test_history_records_who_and_what_and_restores(
    member_client: Client, organisation: Organisation, member: Any
) -> None:
    changed = organisation.get_profile().model_copy(update={"mission": "Changed mission", "activities": []})
    assert _import(member_client, organisation, "new.yaml", dump_profile(changed).encode()).status_code == 302
    page = member_client.get(_url("history", organisation))
    entries = page.context["entries"]
    assert [e.number for e in entries] == [2, 1]
    assert entries[0].version.revision.user == member
    assert entries[0].changes == ["mission changed", "activities: 1 removed"]
    assert "Imported new.yaml" in entries[0].comment
    assert "mia-member" in page.content.decode()
    # Restore the first version; the restore is itself a new recorded version.
    first = entries[1].version
    response = member_client.post(_url("restore", organisation, version_id=first.pk), {"version": "2"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.version == 3
    assert organisation.get_profile().mission.startswith("Improve the health")
    entries = member_client.get(_url("history", organisation)).context["entries"]
    assert len(entries) == 3
    assert entries[0].comment.startswith("Restored the version of")


def test_history_page_query_count_does_not_grow_with_versions(
    viewer_client: Client, organisation: Organisation, owner: Any, django_assert_max_num_queries: Any
) -> None:
    from commonground.web.organisations import services

    for n in range(10):
        profile = organisation.get_profile().model_copy(update={"sector": f"Sector {n}"})
        services.profile_update(
            organisation=organisation, profile=profile, expected_version=n + 1, user=owner
        )
    with django_assert_max_num_queries(8):
        response = viewer_client.get(_url("history", organisation))
    assert len(response.context["entries"]) == 11


def test_a_file_with_many_problems_lists_fifty_and_counts_the_rest(
    member_client: Client, organisation: Organisation
) -> None:
    """Security finding F1: 100,000 unknown fields gave a 20 MB error page; now 50 problems, then a count."""
    many = ("name: H\nkind: nonprofit\nmission: m\n" + "".join(f"k{i}: v\n" for i in range(2_000))).encode()
    response = _import(member_client, organisation, "many.yaml", many)
    assert response.status_code == 400
    page = response.content.decode()
    assert "the file has 2000 problems" in page
    assert "… and 1950 more" in page
    assert page.count("unknown field") == 50
    assert len(response.content) < 50_000
    huge = ("name: H\nkind: nonprofit\nmission: m\n" + "".join(f"k{i}: v\n" for i in range(100_000))).encode()
    response = _import(member_client, organisation, "huge.yaml", huge[:1_000_000])
    assert response.status_code == 400
    assert "more than 20,000 values" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.version == 1
