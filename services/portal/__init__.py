"""The MSP portal under /portal: server-rendered pages (Jinja, htmx vendored as a static file)
on the same use cases and read-model queries as the public API, so every rule, role and limit
holds here as it does there.

Signing in with an API key starts a server-side session (services/portal/sessions.py); the
key never reaches a cookie or a page. Every page is usable without JavaScript; htmx only
boosts links and forms so that pages change without a full reload.
"""

from __future__ import annotations

import secrets
import time
from typing import Annotated, Any
from urllib.parse import urlsplit

from litestar import Request, Response, Router, get, post
from litestar.datastructures import Cookie, State
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.static_files import create_static_files_router

from services.auth import authenticate
from services.errors import Unauthorized
from services.portal import actions, pages, qbr
from services.portal.sessions import COOKIE, LIFETIME
from services.portal.web import (
    EXCEPTION_HANDLERS,
    HERE,
    TEMPLATES,
    Page,
    back_to,
    html,
    posted,
    provide_page,
    provide_sessions,
)

SIGN_IN_COOKIE = "techplan_sign_in"
FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _cookie(request: Request[Any, Any, Any], key: str, value: str, max_age: int) -> Cookie:
    return Cookie(
        key=key,
        value=value,
        path="/portal",
        httponly=True,
        samesite="lax" if key == COOKIE else "strict",
        secure=request.url.scheme == "https",
        max_age=max_age,
    )


def _next(target: str | None) -> str:
    """Only a portal path: never another site."""
    if not target:
        return "/portal"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/portal") or "\\" in target:
        return "/portal"
    return target


def _sign_in_form(
    request: Request[Any, Any, Any],
    state: State,
    *,
    next_: str,
    error: str | None = None,
    status: int = 200,
) -> Response[str]:
    """The sign-in form, with a nonce that the form posts back and a signed cookie holds:
    a page of another site cannot sign a browser in (login CSRF)."""
    nonce = secrets.token_urlsafe(24)
    body = TEMPLATES.get_template("sign_in.html").render(nonce=nonce, next=next_, error=error)
    response = html(body, status)
    response.set_cookie(_cookie(request, SIGN_IN_COOKIE, provide_sessions(state).sign(nonce), 3600))
    return response


@get("/sign-in", sync_to_thread=True, name="portal:sign-in")
def sign_in_page(
    request: Request[Any, Any, Any], state: State, next: FromQuery[str | None] = None
) -> Response[str]:
    return _sign_in_form(request, state, next_=_next(next))


@post("/sign-in", sync_to_thread=True, name="portal:sign-in-post")
def sign_in(request: Request[Any, Any, Any], state: State, data: FormData) -> Response[Any]:
    sessions = provide_sessions(state)
    target = _next(data.get("next"))
    nonce = sessions.verify(request.cookies.get(SIGN_IN_COOKIE))
    given = data.get("_csrf", "")
    if nonce is None or not secrets.compare_digest(nonce.encode(), given.encode()):
        return _sign_in_form(
            request, state, next_=target, error="the form had expired: sign in again", status=403
        )
    try:
        principal = authenticate(state.container.db, f"Bearer {data.get('key', '').strip()}")
    except Unauthorized:
        # The key typed is a secret: it is not put back into the page.
        return _sign_in_form(
            request, state, next_=target, error="this API key is not valid", status=401
        )
    response = back_to(target)
    response.set_cookie(
        _cookie(request, COOKIE, sessions.start(principal), int(LIFETIME.total_seconds()))
    )
    response.delete_cookie(SIGN_IN_COOKIE, path="/portal")
    return response


@post("/sign-out", sync_to_thread=True, name="portal:sign-out")
def sign_out(state: State, page: NamedDependency[Page], data: FormData) -> Response[Any]:
    posted(data, page)
    provide_sessions(state).end(page.session)
    response = back_to("/portal/sign-in")
    response.delete_cookie(COOKIE, path="/portal")
    return response


def _started(request: Request[Any, Any, Any]) -> None:
    """Pages report their server time (Server-Timing), as the browser test records it."""
    request.state.portal_started = time.perf_counter()


def portal_router() -> Router:
    return Router(
        path="/portal",
        route_handlers=[
            sign_in_page,
            sign_in,
            sign_out,
            pages.portfolio_page,
            pages.client_view,
            pages.timeline_page,
            pages.time_travel_page,
            pages.since_review_page,
            pages.webhooks_page,
            qbr.qbr_page,
            qbr.qbr_pdf,
            actions.reschedule,
            actions.initiative_action,
            actions.add_line,
            actions.record_actual,
            actions.budget_action,
            actions.complete_review,
            actions.retry_delivery,
            create_static_files_router(
                path="/static", directories=[HERE / "static"], include_in_schema=False
            ),
        ],
        dependencies={"page": Provide(provide_page, sync_to_thread=True)},
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        before_request=_started,
        include_in_schema=False,
    )
