"""The suite's made-up data is the same on every run: a failure met once can be met again."""

import factory.random

from tests.factories import PersonFactory


def test_a_test_draws_the_same_names_on_every_run(request):
    first = PersonFactory.build()
    factory.random.reseed_random(request.node.nodeid)  # what the suite does before each test
    again = PersonFactory.build()
    assert (again.name, again.first_name) == (first.name, first.first_name)


def test_two_tests_draw_different_names(request):
    factory.random.reseed_random("tests/elsewhere.py::test_other")
    other = PersonFactory.build()
    factory.random.reseed_random(request.node.nodeid)
    mine = PersonFactory.build()
    assert (mine.name, mine.first_name) != (other.name, other.first_name)
