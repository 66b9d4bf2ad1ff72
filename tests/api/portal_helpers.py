"""A browser's view of the portal for HTTP tests: its own cookie jar, the CSRF token read from
each page, forms posted as a browser posts them."""

from __future__ import annotations

import html
import re
from typing import Any

from litestar.testing import TestClient

_CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


class Browser:
    """One person's browser on the app under test (the session app's lifespan already runs)."""

    def __init__(self, http: TestClient[Any]) -> None:
        self.client: TestClient[Any] = TestClient(http.app, raise_server_exceptions=False)
        self.client.follow_redirects = False
        # Requests run on the session app's event loop, where its read side waits.
        self.client.blocking_portal = http.blocking_portal
        self.csrf = ""

    def close(self) -> None:
        # Never entered as a context manager (the session app's lifespan runs already), so
        # there is no transport to close: forgetting the cookies is closing the browser.
        self.client.cookies.clear()

    def get(self, path: str, **kw: Any) -> Any:
        r = self.client.get(path, **kw)
        found = _CSRF.search(r.text)
        if found and r.status_code < 300:
            self.csrf = html.unescape(found.group(1))
        return r

    def post(self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True) -> Any:
        form = dict(data or {})
        if csrf:
            form.setdefault("_csrf", self.csrf)
        return self.client.post(path, data=form)

    def follow(self, r: Any) -> Any:
        """The page a 303 sends the browser to."""
        assert r.status_code == 303, (r.status_code, r.text[:500])
        return self.get(r.headers["location"])

    def sign_in(self, key: str, next_: str = "/portal") -> Any:
        page = self.get(f"/portal/sign-in?next={next_}")
        assert page.status_code == 200, page.text
        return self.post("/portal/sign-in", {"key": key, "next": next_})


def text(r: Any) -> str:
    """The page's visible text, roughly: tags out, entities decoded, spaces collapsed."""
    no_tags = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", r.text, flags=re.S)
    no_tags = re.sub(r"<[^>]+>", " ", no_tags)
    return re.sub(r"\s+", " ", html.unescape(no_tags))
