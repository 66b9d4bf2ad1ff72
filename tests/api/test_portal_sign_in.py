"""Portal sign-in: a session cookie stands for the key held server-side; CSRF on every form;
signing out, revoking the key or purging the tenant ends the session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.api.conftest import Api
from tests.api.portal_helpers import Browser, text


@pytest.fixture
def browser(http: TestClient[Any]) -> Iterator[Browser]:
    b = Browser(http)
    yield b
    b.close()


def test_pages_ask_to_sign_in_first(browser: Browser) -> None:
    r = browser.get("/portal/clients/00000000-0000-0000-0000-000000000000?x=1")
    assert r.status_code == 303
    assert r.headers["location"].startswith("/portal/sign-in?next=")
    assert "%2Fportal%2Fclients%2F" in r.headers["location"]
    page = browser.follow(r)
    assert page.status_code == 200 and 'name="key"' in page.text


def test_sign_in_keeps_the_key_out_of_cookie_and_page(api: Api, browser: Browser) -> None:
    r = browser.sign_in(api.key)
    assert r.status_code == 303 and r.headers["location"] == "/portal"
    cookie = r.headers["set-cookie"]
    assert "techplan_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Path=/portal" in cookie
    assert api.key not in cookie and api.key[4:20] not in cookie
    page = browser.follow(r)
    assert page.status_code == 200
    assert api.key not in page.text and "Portfolio" in page.text
    assert "Content-Security-Policy" in page.headers
    assert page.headers["cache-control"] == "no-store"


def test_a_bad_key_is_refused_and_not_echoed(browser: Browser) -> None:
    r = browser.sign_in("tpk_not-a-real-key-at-all")
    assert r.status_code == 401
    assert "this API key is not valid" in text(r)
    assert "tpk_not-a-real-key-at-all" not in r.text
    assert "techplan_session" not in r.headers.get("set-cookie", "")


def test_sign_in_needs_the_forms_nonce(api: Api, browser: Browser, http: TestClient[Any]) -> None:
    """Login CSRF: a page elsewhere cannot post a key without the signed nonce cookie."""
    stranger = Browser(http)
    try:
        r = stranger.post("/portal/sign-in", {"key": api.key, "_csrf": "guess"}, csrf=False)
        assert r.status_code == 403 and "techplan_session" not in r.headers.get("set-cookie", "")
        browser.get("/portal/sign-in")
        r = browser.post("/portal/sign-in", {"key": api.key, "_csrf": "not-the-nonce"}, csrf=False)
        assert r.status_code == 403
    finally:
        stranger.close()


def test_sign_in_only_redirects_inside_the_portal(api: Api, browser: Browser) -> None:
    for target in ("https://evil.example/x", "//evil.example/portal", "/v1/clients"):
        r = browser.sign_in(api.key, next_=target)
        assert r.headers["location"] == "/portal", target


def test_forms_need_the_sessions_csrf_token(api: Api, browser: Browser) -> None:
    browser.follow(browser.sign_in(api.key))
    r = browser.post("/portal/sign-out", {"_csrf": "forged"}, csrf=False)
    assert r.status_code == 403
    assert browser.get("/portal").status_code == 200  # still signed in


def test_sign_out_ends_the_session_even_for_a_copied_cookie(
    api: Api, browser: Browser, http: TestClient[Any]
) -> None:
    browser.follow(browser.sign_in(api.key))
    copied = dict(browser.client.cookies)
    r = browser.post("/portal/sign-out")
    assert r.status_code == 303 and r.headers["location"] == "/portal/sign-in"
    assert browser.get("/portal").status_code == 303
    thief = Browser(http).client
    for name, value in copied.items():
        thief.cookies.set(name, value)
    assert thief.get("/portal").status_code == 303


def test_a_revoked_key_ends_its_sessions_at_once(api: Api, browser: Browser) -> None:
    editor = api.key_for("editor")
    browser.follow(browser.sign_in(editor.key))
    assert browser.get("/portal").status_code == 200
    keys = api.get("/v1/api-keys").json()["items"]
    key_id = next(k["id"] for k in keys if k["role"] == "editor")
    assert api.delete(f"/v1/api-keys/{key_id}").status_code == 204
    assert browser.get("/portal").status_code == 303


def test_a_forged_or_tampered_cookie_is_no_session(api: Api, browser: Browser) -> None:
    browser.follow(browser.sign_in(api.key))
    value = browser.client.cookies["techplan_session"]
    token, _, signature = value.rpartition(".")
    browser.client.cookies.set("techplan_session", f"{token}x.{signature}", path="/portal")
    browser.client.cookies.delete("techplan_session", path="/")
    assert browser.get("/portal").status_code == 303
