"""Web load benchmark: latency of the portfolio, assessment, agreement, KPI, health and check-in results
pages under load, next to a trivial view.

    .venv/bin/python bench/web_load.py [--duration 10] [--threads 2] [--connections 8]

What it does, all on this machine (loopback only) and bounded in time:

1. Builds a scaled dataset in a throwaway SQLite data directory: 200 organisations (the example
   profiles, renamed), 500 partnerships of two organisations each, and one stored assessment
   snapshot per partnership. The engine runs **once** (on two example profiles); the 500 snapshots
   reuse that real AssessmentResult JSON with the partner names swapped and the score varied, so
   the pages render real-sized results without running the engine 500 times. The signed-in user
   owns one "funder" organisation that belongs to 100 of the partnerships. The funder's first
   partnership has the strong-fit example agreement, its readings, deliveries and decisions stored
   as records, and the demo's year of monthly check-ins with frozen results.
2. Starts the workspace with waitress through `commonground.web.server.serve_wsgi` (exactly what
   `commonground serve` runs) under a settings module written into the temp folder,
   whose URLconf adds one trivial view (``/bench/trivial/``: signed in, returns "ok") in front of
   the product URLs. The product URLconf is not changed. Like with like: every target runs under
   the same settings and the same middleware stack (security headers, CSP, sessions, CSRF, auth,
   login-required, messages, axes) with the same session and CSRF cookies a browser would send; the
   trivial view differs only in what the view does (a constant string: no template, no query of
   its own beyond the session and user every signed-in request loads).
3. Measures each target one request at a time (``--single`` requests on one kept-alive
   connection; median and p95), then drives it with wrk (``-t2 -c8 -d10s`` by default):
   (a) the trivial view, (b) the first page of the funder's portfolio (25 of its 100 rows),
   (c) one assessment page, (d) the agreement page, (e) one KPI page with its trend chart, (f) the
   partnership's health page, (g) the latest check-in's results with seven trend charts; then
   prints requests/s, p50/p95/p99 latency and the server process's CPU time per request (from
   /proc, so other work on the machine barely moves it) per target, each next
   to the trivial view's (goal: p95 ≤ 3× trivial under load), and the portfolio's p95 against the
   absolute bar of issue 7 (100 ms at 8 connections: readable code stays unless it misses that).
4. Stops the server and deletes the temp folder.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import importlib.util
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ORGANISATIONS = 200
PARTNERSHIPS = 500
FUNDER_SHARE = 5  # the funder is in every 5th partnership: 100 rows on its portfolio
GOAL_RATIO = 3.0
# The pages measured against the trivial view (each goal: p95 ≤ GOAL_RATIO × trivial under load).
PAGES = ("portfolio", "assessment", "agreement", "kpi", "health", "checkin")
PORTFOLIO_P95_MS = 100.0  # issue 7: the portfolio keeps readable code unless it misses this at 8 connections

BENCH_SETTINGS = """\
from commonground.web.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
DEBUG = False
"""

BENCH_URLS = """\
from django.http import HttpResponse
from django.urls import include, path

from commonground.web.access import signed_in


@signed_in
def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), path("", include("commonground.web.urls"))]
handler403 = "commonground.web.errors.forbidden"
handler404 = "commonground.web.errors.not_found"
"""

# wrk prints its own summary without p95; this prints the figures we need in one parsable line.
WRK_SCRIPT = """\
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "CG requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d errors=%d read_errors=%d non2xx=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors, summary.errors.read, summary.errors.status))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_dataset(organisations: int, partnerships: int) -> dict[str, str]:
    """Fill the (already configured) database; return the session cookie and the target paths."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import transaction

    from commonground.core.assessment import assess_profiles
    from commonground.core.loading import parse_profile
    from commonground.core.results import AssessmentResult
    from commonground.web.assessments.models import AssessmentSnapshot
    from commonground.web.assessments.presentation import body_fields
    from commonground.web.organisations import services
    from commonground.web.partnerships.models import MemberState, Partnership, PartnershipMember

    call_command("migrate", interactive=False, verbosity=0)
    examples = [
        parse_profile(path.read_text(encoding="utf-8"), source=path.name)
        for path in sorted(EXAMPLES.glob("*.yaml"))
        if not path.name.startswith(("partnership-", "agreement-"))
    ]
    User = get_user_model()
    user = User.objects.create_user(username="bench", email="bench@example.org", password=None)
    admin = User.objects.create_user(username="bench-admin", email="admin@example.org", password=None)

    started = time.perf_counter()
    print("engine: one real assessment (loads the embedding model) ...", flush=True)
    template = assess_profiles(examples[:2], name="Template partnership").model_dump(mode="json")
    template_text = json.dumps(template)
    names = [examples[0].name, examples[1].name]
    print(f"engine: done in {time.perf_counter() - started:.1f} s", flush=True)

    started = time.perf_counter()
    orgs = []
    for i in range(organisations):
        base = examples[i % len(examples)]
        profile = base.model_copy(update={"name": f"{base.name} #{i:03d}"})
        if i == 0:
            profile = base.model_copy(update={"name": "Bench Funder"})
        orgs.append(services.organisation_create(user=user if i == 0 else admin, profile=profile))
    with transaction.atomic():
        created = Partnership.objects.bulk_create(
            Partnership(name=f"Partnership {n:03d}", description="Bench data.", created_by=admin)
            for n in range(partnerships)
        )
        members = []
        snapshots = []
        for n, partnership in enumerate(created):
            first = orgs[0] if n % FUNDER_SHARE == 0 else orgs[1 + (n * 7) % (organisations - 1)]
            second = orgs[1 + (n * 13 + 5) % (organisations - 1)]
            if second.pk == first.pk:
                second = orgs[1 + (n * 13 + 6) % (organisations - 1)]
            for organisation in (first, second):
                members.append(
                    PartnershipMember(
                        partnership=partnership, organisation=organisation, state=MemberState.ACTIVE
                    )
                )
            text = template_text.replace(names[0], first.name).replace(names[1], second.name)
            result = json.loads(text)
            result["title"] = partnership.name
            result["score"] = round(20 + (n * 37) % 80 + 0.5, 1)
            snapshots.append(
                AssessmentSnapshot(
                    partnership=partnership,
                    created_by=admin,
                    result=result,
                    score=result["score"],
                    verdict=result["verdict"],
                    open_conflicts=len(result["conflicts"]),
                    profile_versions=[
                        {"organisation_id": o.pk, "name": o.name, "version": o.version, "fingerprint": ""}
                        for o in (first, second)
                    ],
                    # What snapshot_create stores with each snapshot: the page body drawn from the result.
                    **body_fields(AssessmentResult.model_validate(result)),
                )
            )
        PartnershipMember.objects.bulk_create(members)
        AssessmentSnapshot.objects.bulk_create(snapshots)
    print(
        f"dataset: {organisations} organisations, {partnerships} partnerships, {len(snapshots)} snapshots "
        f"in {time.perf_counter() - started:.1f} s ({settings.DATABASES['default']['NAME']})",
        flush=True,
    )

    # The funder's first partnership gets the strong-fit example agreement, its readings, deliveries
    # and decisions stored as records, as starting an agreement from such a file does.
    from commonground.core.agreement.loading import load_agreement
    from commonground.web.agreements.in_force import split_records
    from commonground.web.agreements.models import Agreement
    from commonground.web.agreements.record_services import records_store

    document = load_agreement(EXAMPLES / "agreement-strong-fit.yaml").model_dump(mode="json")
    terms, records = split_records(document, today=datetime.date.today())
    partner_ids = [partner["id"] for partner in document["who"]["partners"]]
    first_pair = [m.organisation_id for m in members if m.partnership_id == created[0].pk]
    agreement = Agreement.objects.create(
        partnership=created[0],
        document=terms,
        partner_organisations=dict(zip(partner_ids, first_pair, strict=True)),
        created_by=user,
    )
    records_store(agreement=agreement, records=records, user=user)
    first_kpi = terms["what"]["kpis"][0]["id"]

    # The same partnership gets the demo's year of monthly check-ins (twenty people, frozen results)
    # and its factors check-in: the health page and the latest check-in's results read them.
    from commonground.web.checkins.demo import demo_checkins_load
    from commonground.web.organisations.models import Organisation

    charity, shop = Organisation.objects.filter(pk__in=first_pair).order_by("pk")
    checkins = demo_checkins_load(partnership=created[0], charity=charity, shop=shop)

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    funder_snapshot = AssessmentSnapshot.objects.filter(partnership=created[0]).get()
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "middleware": ", ".join(name.rsplit(".", 1)[-1] for name in settings.MIDDLEWARE),
        "trivial": "/bench/trivial/",
        "portfolio": f"/o/{orgs[0].slug}/portfolio/",
        "assessment": f"/partnerships/{created[0].pk}/assessments/{funder_snapshot.pk}/",
        "agreement": f"/partnerships/{created[0].pk}/agreement/",
        "kpi": f"/partnerships/{created[0].pk}/agreement/kpis/{first_kpi}/",
        "health": f"/partnerships/{created[0].pk}/health/",
        "checkin": f"/partnerships/{created[0].pk}/checkins/{checkins[-1].pk}/",
    }


def _get(url: str, cookie: str) -> tuple[int, str]:
    status, body, _ = _get_with_headers(url, cookie)
    return status, body


def _get_with_headers(url: str, cookie: str) -> tuple[int, str, list[str]]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:  # loopback only
        cookies = response.headers.get_all("Set-Cookie") or []
        return response.status, response.read().decode("utf-8", "replace"), cookies


def _csrf_cookie(url: str, cookie: str) -> str:
    """The CSRF cookie the first page sets, as a browser would send it back with every later request."""
    for header in _get_with_headers(url, cookie)[2]:
        for name, morsel in SimpleCookie(header).items():
            if name == "csrftoken":
                return f"{name}={morsel.value}"
    raise SystemExit(f"{url} set no csrftoken cookie")


def one_at_a_time(base: str, path: str, cookie: str, *, requests: int, keep_alive: bool) -> dict[str, float]:
    """``requests`` sequential GETs (each on a new connection unless ``keep_alive``): median, p95 in ms."""
    host, port = base.removeprefix("http://").split(":")
    headers = {"Cookie": cookie} if keep_alive else {"Cookie": cookie, "Connection": "close"}
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    times = []
    try:
        for _ in range(requests + 5):  # the first five warm up and are not counted
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
            except (http.client.RemoteDisconnected, ConnectionError):
                connection.close()  # the server closed a kept-alive connection: count a fresh one
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
            response.read()
            times.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")
            if not keep_alive:
                connection.close()
    finally:
        connection.close()
    measured = sorted(times[5:])
    return {"median": statistics.median(measured), "p95": measured[int(0.95 * (len(measured) - 1))]}


def _server_command(server: str, port: int, workers: int) -> list[str]:
    """``commonground serve``'s waitress, or gunicorn as docs/deployment.md runs it."""
    if server == "gunicorn":
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "commonground.web.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ]
    return [
        sys.executable,
        "-c",
        f"from commonground.web.server import serve_wsgi; serve_wsgi(host='127.0.0.1', port={port})",
    ]


def _start_server(
    work: Path, env: dict[str, str], *, server: str, workers: int
) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    log = (work / "server.log").open("wb")
    process = subprocess.Popen(
        _server_command(server, port, workers),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(f"{base}/accounts/sign-in/", "")
            return process, base
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(
                    "server did not start:\n" + (work / "server.log").read_text()[-2000:]
                ) from None
            time.sleep(0.2)


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the server and its worker processes have used; NaN without /proc."""
    total = 0.0
    found = False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # The parent's pid is the 2nd field after the command's name; utime and stime the 12th and 13th.
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            found = True
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total if found else float("nan")


def run_wrk(
    url: str, cookie: str, script: Path, *, threads: int, connections: int, duration: int, keep_alive: bool
) -> dict[str, float]:
    """One bounded wrk run; returns requests/s, p50/p95/p99 in ms and error counts."""
    close = [] if keep_alive else ["-H", "Connection: close"]
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        "-H",
        f"Cookie: {cookie}",
        *close,
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30, check=True)
    match = re.search(r"^CG (.*)$", done.stdout, re.MULTILINE)
    if not match:
        raise SystemExit(f"unexpected wrk output:\n{done.stdout}\n{done.stderr}")
    figures = {key: float(value) for key, value in (item.split("=") for item in match.group(1).split())}
    return {
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50": figures["p50_us"] / 1000,
        "p95": figures["p95_us"] / 1000,
        "p99": figures["p99_us"] / 1000,
        "requests": figures["requests"],
        # With "Connection: close" wrk counts each server-closed connection as a read error.
        "errors": figures["errors"] + (figures["read_errors"] if keep_alive else 0),
        "non2xx": figures["non2xx"],
    }


def main() -> None:
    """Build, serve, measure, print, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per target (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument(
        "--single", type=int, default=200, help="one-at-a-time requests per target (default 200)"
    )
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="reuse connections, as browsers do",
    )
    parser.add_argument(
        "--server",
        choices=("waitress", "gunicorn"),
        default="waitress",
        help="waitress as `commonground serve` runs it (default), or gunicorn as docs/deployment.md does",
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="gunicorn worker processes (default: cores)"
    )
    parser.add_argument("--organisations", type=int, default=ORGANISATIONS)
    parser.add_argument("--partnerships", type=int, default=PARTNERSHIPS)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (prints its path)")
    args = parser.parse_args()
    server_name = (
        f"gunicorn ({args.workers} worker processes)" if args.server == "gunicorn" else "waitress (8 threads)"
    )
    if args.server == "gunicorn" and importlib.util.find_spec("gunicorn") is None:
        raise SystemExit("gunicorn not found (pip install gunicorn, as docs/deployment.md says)")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found (apt-get install wrk)")

    work = Path(tempfile.mkdtemp(prefix="commonground-web-load-"))
    (work / "bench_settings.py").write_text(BENCH_SETTINGS, encoding="utf-8")
    (work / "bench_urls.py").write_text(BENCH_URLS, encoding="utf-8")
    script = work / "report.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "COMMONGROUND_DEBUG"}}
    env.update(
        COMMONGROUND_DATA_DIR=str(work / "data"),
        COMMONGROUND_SECRET_KEY="web-load-bench-not-secret",
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join([str(work), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    )
    os.environ.update(env)
    for key in ("DATABASE_URL", "COMMONGROUND_DEBUG"):
        os.environ.pop(key, None)
    sys.path.insert(0, str(work))

    process = None
    try:
        targets = build_dataset(args.organisations, args.partnerships)
        cookie = targets.pop("cookie")
        middleware = targets.pop("middleware")
        process, base = _start_server(work, env, server=args.server, workers=args.workers)
        cookie = f"{cookie}; {_csrf_cookie(base + targets['portfolio'], cookie)}"
        for name, path in targets.items():
            status, body = _get(base + path, cookie)  # also warms imports and caches
            if status != 200 or (name != "trivial" and "Sign in" in body and "Sign out" not in body):
                raise SystemExit(f"{name}: {base + path} answered {status} without the signed-in page")
        portfolio_page = _get(base + targets["portfolio"], cookie)[1]
        portfolio_rows = portfolio_page.count("<tr>") - 1
        pages = re.search(r"Partnerships \d+–\d+ of (\d+)", portfolio_page)
        assessment_page = _get(base + targets["assessment"], cookie)[1]
        print(
            f"server: {server_name} at {base}; portfolio page 1: {portfolio_rows} rows"
            f" (of {pages.group(1) if pages else portfolio_rows}), {len(portfolio_page) // 1024} KB; "
            f"assessment page: {assessment_page.count('<svg')} <svg> elements, "
            f"{len(assessment_page) // 1024} KB"
        )
        print(
            "like with like: every target under the same settings and middleware stack "
            f"({middleware}),\n  signed in with the same session and CSRF cookies; the trivial view "
            "returns a constant string\n  (no template, no queries beyond the session and user)."
        )
        transport = "kept-alive connections" if args.keep_alive else "a new connection per request"
        print(f"transport: {transport} for every target")
        print(f"single: {args.single} sequential requests per target")
        single = {
            name: one_at_a_time(base, path, cookie, requests=args.single, keep_alive=args.keep_alive)
            for name, path in targets.items()
        }
        print(f"load: wrk -t{args.threads} -c{args.connections} -d{args.duration}s per target, loopback\n")
        results = {}
        for name, path in targets.items():
            cpu_before = _cpu_seconds(process.pid)
            results[name] = run_wrk(
                base + path,
                cookie,
                script,
                threads=args.threads,
                connections=args.connections,
                duration=args.duration,
                keep_alive=args.keep_alive,
            )
            cpu = _cpu_seconds(process.pid) - cpu_before
            results[name]["cpu_ms"] = cpu * 1000 / max(results[name]["requests"], 1)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    one = single["trivial"]["median"]
    print("one request at a time")
    print(f"{'target':<11} {'median ms':>10} {'p95 ms':>8} {'median/trivial':>15}")
    for name, r in single.items():
        print(f"{name:<11} {r['median']:>10.1f} {r['p95']:>8.1f} {r['median'] / one:>14.1f}×")
    baseline = results["trivial"]["p95"]
    header = ("target", "req/s", "p50 ms", "p95 ms", "p99 ms", "p95/trivial", "errors", "server CPU ms/req")
    print(f"\nunder load (wrk -t{args.threads} -c{args.connections} -d{args.duration}s)")
    print(
        f"{header[0]:<11} " + " ".join(f"{h:>8}" for h in header[1:5])
        + f" {header[5]:>12} {header[6]:>7} {header[7]:>18}"
    )  # fmt: skip
    for name, r in results.items():
        ratio = r["p95"] / baseline if baseline else float("nan")
        errors = int(r["errors"] + r["non2xx"])
        print(
            f"{name:<11} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} "
            f"{ratio:>11.1f}× {errors:>7} {r['cpu_ms']:>18.2f}"
        )
    for name in PAGES:
        ratio = results[name]["p95"] / baseline if baseline else float("inf")
        print(f"{name}: p95 {ratio:.1f}× trivial — {'within' if ratio <= GOAL_RATIO else 'OVER'} the goal")
    worst = max(results[name]["p95"] / baseline for name in PAGES) if baseline else 0
    verdict = "within" if worst <= GOAL_RATIO else "OVER"
    print(f"\nworst p95 ratio {worst:.1f}× — {verdict} the {GOAL_RATIO:.0f}× goal")
    p95 = results["portfolio"]["p95"]
    verdict = "within" if p95 <= PORTFOLIO_P95_MS else "OVER"
    print(
        f"portfolio p95 {p95:.1f} ms at {args.connections} connections — {verdict} the "
        f"{PORTFOLIO_P95_MS:.0f} ms bar (measured at 8 connections)"
    )


if __name__ == "__main__":
    main()
