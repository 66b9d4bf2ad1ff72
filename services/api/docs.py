"""The browsable API docs under /schema, served from a package (swagger-ui-bundle), not a CDN:
the page works on a laptop without internet access and behind a strict firewall.

Swagger UI, because it renders OpenAPI 3.1 (what Litestar emits), lets an integrator try
each operation with their key, and ships as a maintained PyPI package that pins its version.
"""

from __future__ import annotations

from pathlib import Path

from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/schema/assets"


def docs_page() -> SwaggerRenderPlugin:
    return SwaggerRenderPlugin(
        path="/",
        js_url=f"{ASSETS}/swagger-ui-bundle.js",
        css_url=f"{ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
        favicon=f'<link rel="icon" type="image/png" href="{ASSETS}/favicon-32x32.png">',
    )


def docs_assets() -> Router:
    return create_static_files_router(
        path=ASSETS, directories=[Path(str(swagger_ui_path))], include_in_schema=False
    )
