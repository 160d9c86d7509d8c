"""Error pages speak French and keep the site's frame: 404, 403, the expired form (CSRF), 400, and a
500 rendered without any context (Django gives it none)."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_a_french_404_in_the_sites_frame(client):
    response = client.get("/cette-page-n-existe-pas/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in html and 'class="site-footer"' in html
    assert "Not Found" not in html


def test_a_page_not_found_keeps_the_frame_of_the_service_it_was_looked_for_under(client, settings):
    """A 404 under /contraventions/ is the Service des contraventions' own: its name, its hotline, never
    the office's (a 404 resolves to no view, hence to no URL namespace)."""
    sdc = client.get("/contraventions/cette-page-n-existe-pas/").content.decode()
    ocp = client.get("/poursuites/cette-page-n-existe-pas/").content.decode()
    assert 'data-service="sdc"' in sdc and settings.OFFICE["phone"] not in sdc
    assert 'data-service="ocp"' in ocp


def test_a_form_posted_without_its_token_gets_a_french_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accessibilite/", {"message": "Test"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Formulaire expiré" in html and "CSRF verification failed" not in html


def test_the_500_page_is_french_and_needs_no_context():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Le portail a rencontré une erreur" in html and 'lang="fr"' in html
