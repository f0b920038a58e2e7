"""While one signed-in user floods the costly actions, everyone else's sign-in still answers (security
review F1: a formset claiming 10^12 rows tied up every server thread and the sign-in page took 53 s).

The app runs under waitress (``server.make_server``, as ``commonground serve`` runs it) with fewer
threads than there are flooding clients, so every request of the flood must be refused or finished
quickly for the sign-in to find a free thread: assessment runs past the hourly limit get 429 before the
engine runs, an import of 100,000 unknown keys and a formset claiming a trillion rows get 400.
"""

from __future__ import annotations

import http.client
import json
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.signals import request_finished
from django.db import connections
from django.test import Client
from django.urls import reverse
from organisations.test_profile_editing import form_data
from waitress_thread import waitress_in_a_thread

from commonground.web import throttles
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership
from commonground.web.throttles import Limit

pytestmark = pytest.mark.django_db(transaction=True)  # the server's threads read what the test wrote

SERVER_THREADS = 4  # a small deployment; the flood below keeps more requests in flight than this
FLOODERS = 6
# Generous for a loaded 2-core machine: unflooded, the sign-in answers in well under a second here.
SIGN_IN_WITHIN_SECONDS = 10.0
PASSWORD = "a long passphrase for the flood test"


@pytest.fixture
def served() -> Iterator[int]:
    """The app under waitress on a free loopback port, with ``SERVER_THREADS`` threads; its port."""
    # Each server thread keeps its own database connection (CONN_MAX_AGE); closing it after every
    # request leaves none open when the test database is dropped (PostgreSQL refuses while in use).
    request_finished.connect(_close_connections, dispatch_uid=CLOSE_AFTER_REQUEST)
    try:
        with waitress_in_a_thread(threads=SERVER_THREADS) as port:
            yield port
    finally:
        request_finished.disconnect(dispatch_uid=CLOSE_AFTER_REQUEST)
        connections.close_all()


CLOSE_AFTER_REQUEST = "flood-test-close-connections"


def _close_connections(**_: object) -> None:
    connections.close_all()


def _request(
    port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request on a new connection: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _multipart(fields: dict[str, str], file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/json\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _flood_requests(
    client: Client, organisation: Organisation, partnership: Partnership
) -> list[Callable[[int], int]]:
    """The three costly posts of the review's F1, each as a function of the port returning the status."""
    csrf = secrets.token_hex(16)  # Django accepts its own unmasked 32-character secret as the token
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"
    headers = {"Cookie": cookie, "X-CSRFToken": csrf}

    run_path = reverse("assessments:run", kwargs={"pk": partnership.pk})
    edit_path = reverse("organisations:profile_edit", kwargs={"slug": organisation.slug})
    editor = urlencode(
        form_data(client, organisation) | {"goals-TOTAL_FORMS": str(10**12), "mission": "Flooded"}, doseq=True
    ).encode()
    unknown_keys = json.dumps({"name": "Flood", **{f"k{i}": 0 for i in range(100_000)}}).encode()
    import_body, import_type = _multipart({"version": str(organisation.version)}, "flood.json", unknown_keys)
    import_path = reverse("organisations:profile_import", kwargs={"slug": organisation.slug})
    form_headers = headers | {"Content-Type": "application/x-www-form-urlencoded"}
    upload_headers = headers | {"Content-Type": import_type}
    return [
        lambda port: _request(port, "POST", run_path, b"", form_headers)[0],
        lambda port: _request(port, "POST", edit_path, editor, form_headers)[0],
        lambda port: _request(port, "POST", import_path, import_body, upload_headers)[0],
    ]


def _sign_in(port: int, username: str) -> tuple[float, int, str]:
    """Open the sign-in page and sign in as a browser would: (seconds taken, final status, where to)."""
    started = time.monotonic()
    status, headers, _ = _request(port, "GET", reverse("accounts:sign_in"))
    assert status == 200
    csrf = headers["set-cookie"].split("csrftoken=", 1)[1].split(";", 1)[0]
    body = urlencode({"username": username, "password": PASSWORD}).encode()
    status, headers, _ = _request(
        port, "POST", reverse("accounts:sign_in"), body,
        {"Cookie": f"csrftoken={csrf}", "X-CSRFToken": csrf,
         "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    return time.monotonic() - started, status, headers.get("location", "")


def test_sign_in_answers_promptly_while_one_user_floods_the_costly_actions(
    served: int,
    member_client: Client,
    organisation: Organisation,
    partnership: Partnership,
    make_user: Callable[..., Any],
    fake_assess: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_user("sam-signs-in", password=PASSWORD)
    monkeypatch.setattr(throttles, "ASSESSMENTS_PER_ACCOUNT", Limit("assessment-flood-account", 3, 3600))
    flood = _flood_requests(member_client, organisation, partnership)
    answers: Counter[int] = Counter()
    counting = threading.Lock()
    stop = threading.Event()

    def flooder(index: int) -> None:
        sent = 0
        while not stop.is_set() or sent < len(flood):  # each flooder sends each kind at least once
            status = flood[(index + sent) % len(flood)](served)
            with counting:
                answers[status] += 1
            sent += 1

    threads = [threading.Thread(target=flooder, args=(i,)) for i in range(FLOODERS)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # the flood is under way: every server thread is busy with it
    try:
        seconds, status, location = _sign_in(served, "sam-signs-in")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)

    assert (status, location) == (302, reverse("home:index"))
    assert seconds < SIGN_IN_WITHIN_SECONDS, f"sign-in took {seconds:.1f} s during the flood"
    # The flood was refused, not served: 3 runs, then 429 for every other; the editor and import 400.
    assert answers[302] == 3
    assert answers[429] >= FLOODERS - 3
    assert answers[400] >= 2 * FLOODERS
    assert set(answers) <= {302, 400, 429}, answers
    assert fake_assess.calls == 3
    organisation.refresh_from_db()
    assert organisation.get_profile().mission != "Flooded"  # nothing of the flood was saved
