"""The docs UI under /schema needs no internet: every script, style and icon it loads is
served by Techplan itself."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import TestClient


def test_the_docs_page_loads_only_local_assets(http: TestClient[Any]) -> None:
    page = http.get("/schema")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    urls = re.findall(r"""(?:src|href)\s*=\s*['"]([^'"]+)['"]""", page.text)
    assert urls, page.text
    assert not [u for u in urls if re.match(r"^(https?:)?//", u)], urls
    for url in urls:
        asset = http.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 500, url
    assert "swagger-ui-bundle.js" in page.text
    # The page reads the document it renders from the same server.
    assert http.get("/schema/openapi.json").json()["openapi"].startswith("3.1")


def test_assets_are_not_in_the_openapi_document(http: TestClient[Any]) -> None:
    paths = http.get("/schema/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/schema")]
