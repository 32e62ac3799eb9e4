"""A portal name is a short, readable address the merchant chooses; links carry it."""
import pytest

from chalicelib.domain.portal_address import RULE, portal_link, problem_with


@pytest.mark.parametrize("name", ["northwind", "acme-2", "abc", "a" * 40])
def test_short_lower_case_names_with_hyphens_inside_are_portal_names(name):
    assert problem_with(name) is None


@pytest.mark.parametrize("name", ["ab", "a" * 41, "Northwind", "-acme", "acme-", "ac--me", "acme corp", "acmé",
                                  "org_01M9677BE9YP1WBERW79KPQKZJ"])
def test_other_names_are_refused_with_the_rule_in_words(name):
    assert problem_with(name) == RULE


def test_names_of_the_service_itself_are_kept():
    assert "kept for the service" in problem_with("api")


def test_a_link_carries_the_portal_name_before_the_route():
    assert portal_link("https://x.example/api", "northwind", "reviews") == "https://x.example/api/?portal=northwind#/reviews"
    assert portal_link("https://x.example/api/", "", "invoices/INV-1") == "https://x.example/api/#/invoices/INV-1"
