"""Benchmark of the clerks' admin at full register size: `make bench` (after the lookup benchmark,
on its database of BENCH_REGISTER poursuites, default postgres://postgres@127.0.0.1:5432/ocp_bench).

    .venv/bin/python -m tests.bench.admin

Each page is fetched in process with Django's test client as a superuser, DEBUG off: one warm-up,
then the median of BENCH_RUNS (3) fetches. Target (printed, never asserted): every search under
200 ms; the other pages are printed beside the admin's index page for comparison.
"""

import os
import statistics
import time

from tests.bench.lookup import ensure_database, setup_django

RUNS = int(os.environ.get("BENCH_RUNS", 3))
TARGET_MS = 200


def pages(poursuite, party_name: str, first_and_name: str) -> list[tuple[str, str, dict, bool]]:
    """(label, URL, query, is a search) of the pages a clerk uses all day."""
    from django.urls import reverse

    poursuites = reverse("admin:poursuites_poursuite_changelist")
    parties = reverse("admin:poursuites_party_changelist")
    return [
        ("admin's index page", reverse("admin:index"), {}, False),
        ("poursuites list, no filter", poursuites, {}, False),
        ("search by number", poursuites, {"q": poursuite.reference}, True),
        ("search by 27-digit QR reference", poursuites, {"q": poursuite.qr_reference}, True),
        (f"search by a name (« {party_name} »)", poursuites, {"q": party_name}, True),
        (f"search by first name + name (« {first_and_name} »)", poursuites, {"q": first_and_name}, True),
        ("search by the creditor's UID", poursuites, {"q": poursuite.creditor.uid}, bool(poursuite.creditor.uid)),
        ("filter by status", poursuites, {"status__exact": "notifiee"}, False),
        ("parties: list", parties, {}, False),
        (f"parties: search by name (« {party_name} »)", parties, {"q": party_name}, True),
        ("poursuite page", reverse("admin:poursuites_poursuite_change", args=[poursuite.pk]), {}, False),
    ]


def timed(client, url: str, query: dict) -> float:
    client.get(url, query, secure=True)  # warm-up (DEBUG off: the portal redirects plain HTTP)
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url, query, secure=True)
        runs.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, query, response.status_code)
    return statistics.median(runs)


def main() -> None:
    setup_django()
    ensure_database()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from poursuites.models import Poursuite

    setup_test_environment()  # the test client's hosts; DEBUG stays off (tests.settings)
    user, _created = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_staff": True})
    user.is_superuser = user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    poursuite = Poursuite.objects.select_related("debtor", "creditor").order_by("-number").first()
    debtor = poursuite.debtor
    total = Poursuite.objects.count()
    print(f"\nAdmin at {total:,} poursuites (median of {RUNS}, in process, DEBUG off):")
    print(f"{'page':<58} {'ms':>8}  target")
    for label, url, query, is_search in pages(poursuite, debtor.name, f"{debtor.first_name} {debtor.name}"):
        ms = timed(client, url, query)
        verdict = (" < 200 ms  " + ("ok" if ms < TARGET_MS else "MISSED")) if is_search else ""
        print(f"{label:<58} {ms:8.1f} {verdict}")


if __name__ == "__main__":
    main()
