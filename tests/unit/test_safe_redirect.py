"""The login's `next` (and the review forms' return address) may only lead to a page of
this site: the guard itself refuses anything a browser could read as another host."""

import pytest

from webapp.blueprints.auth.routes import is_safe_redirect

OFF_SITE = [
    "https://evil.example/", "http://evil.example", "//evil.example", "///evil.example",
    "/\\evil.example/", "/%5Cevil.example", "/%5cevil.example", "/%2F%2Fevil.example", "/%2f/evil.example",
    "/.//evil.example", "/./evil.example//", "/..//evil.example", "/a/../..//evil.example",
    "/%252F%252Fevil.example", "/%25252F%25252Fevil.example",  # encoded twice and three times
    "/\t/evil.example", "/%09/evil.example", "/\r\n/evil.example", "/%0d%0a/evil.example", "/\x00/x",
    "javascript:alert(1)", "/javascript:alert(1)//x//", "evil.example", "documents/5", "", None,
    " /documents", "/" + "a" * 2001, "%2F%2Fevil.example", "\\\\evil.example",
]
ON_SITE = [
    "/", "/documents/5", "/documents/5?tab=files", "/review/office_review?cursor=MTIz&department=2",
    "/documents?q=豫应急办〔2026〕4号", "/documents?q=http%3A%2F%2Fexample.org", "/drafting/#body",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_off_site_or_ambiguous_targets_are_refused(target):
    assert not is_safe_redirect(target)


@pytest.mark.parametrize("target", ON_SITE)
def test_pages_of_this_site_are_kept(target):
    assert is_safe_redirect(target)
