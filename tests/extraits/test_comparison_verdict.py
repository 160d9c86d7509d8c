"""After « Comparer », the verdict on the visitor's file is the first thing on the page, the one that
takes the focus, and the page's title starts with it: a forged file is never taken for the issued one."""

import io
import re

import pytest
from django.urls import reverse

from .test_verification import document, verify  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def main_of(response) -> str:
    html = response.content.decode().replace("&#x27;", "'")
    return re.search(r"<main\b[^>]*>(.*)</main>", html, re.S).group(1).strip()


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode().replace("&#x27;", "'"), re.S).group(1)


def focused_tags(main: str) -> list[str]:
    """The opening tags that carry autofocus."""
    return re.findall(r"<[a-z]+\b[^>]*\bautofocus\b[^>]*>", main)


def compare(client, document, content: bytes):  # noqa: F811
    token = verify(client, document.reference).context["token"]
    return client.post(reverse("extraits:compare", args=[token]), {"file": io.BytesIO(content)})


@pytest.mark.parametrize(
    ("altered", "verdict", "title", "role"),
    [
        (True, "<strong>n'est pas identique</strong>", "Fichier non identique à l'extrait émis — ", "alert"),
        (False, "est identique, octet pour octet", "Fichier identique à l'extrait émis — ", "status"),
    ],
)
def test_the_verdict_comes_first_takes_the_focus_and_titles_the_page(
    client,
    document,  # noqa: F811
    altered,
    verdict,
    title,
    role,
):
    with document.pdf.open("rb") as handle:
        content = handle.read() + (b"\n" if altered else b"")
    response = compare(client, document, content)
    main = main_of(response)
    first_tag = re.match(r"<div\b[^>]*>", main)
    assert first_tag, main[:200]
    assert 'id="verdict"' in first_tag.group(0) and f'role="{role}"' in first_tag.group(0)
    assert verdict in main[: main.index("</div>")]
    assert [('id="verdict"' in tag) for tag in focused_tags(main)] == [True]
    assert title_of(response).startswith(title)


def test_before_any_comparison_the_issued_box_has_the_focus(client, document):  # noqa: F811
    main = main_of(verify(client, document.reference))
    (focused,) = focused_tags(main)
    assert 'class="alert alert--success"' in focused and 'id="verdict"' not in main


def test_a_refused_upload_focuses_its_error_not_the_issued_box(client, document):  # noqa: F811
    token = verify(client, document.reference).context["token"]
    main = main_of(client.post(reverse("extraits:compare", args=[token]), {}))
    (focused,) = focused_tags(main)
    assert 'id="form-errors"' in focused
