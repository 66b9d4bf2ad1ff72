"""What every portal page shares: templates, money and dates as people read them, the signed-in
session as a dependency, forms that keep what was typed, and errors as pages.

Money is formatted by Babel in the client's currency (its own number of decimals: JPY has
none) for the stated locale `en`; dates are ISO 8601, times UTC.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlencode
from uuid import UUID, uuid4

import msgspec
from babel.numbers import format_currency, get_currency_precision
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Request, Response
from litestar.datastructures import State
from litestar.enums import MediaType
from litestar.exceptions import HTTPException
from litestar.response import Redirect

from domain.shared import DomainError, Money, Role
from services.bootstrap import Container
from services.commands.context import Context
from services.errors import NotFound, ServiceError
from services.portal.sessions import COOKIE, Session, Sessions

HERE = Path(__file__).parent
LOCALE = "en"
S = TypeVar("S", bound=msgspec.Struct)


# ---------------------------------------------------------------- formatting


def money(value: Any) -> str:
    """`{"amount_minor": 123456, "currency": "EUR"}` (or Money) as "€1,234.56"."""
    if value is None:
        return "—"
    if isinstance(value, Money):
        amount, currency = value.amount_minor, value.currency
    else:
        amount, currency = int(value["amount_minor"]), str(value["currency"])
    digits = get_currency_precision(currency)
    return format_currency(Decimal(amount).scaleb(-digits), currency, locale=LOCALE)


def recurring(cost: dict[str, Any] | None) -> str:
    if not cost:
        return "—"
    quantity = int(cost.get("quantity") or 1)
    each = money(cost)
    times = f" x {quantity}" if quantity != 1 else ""
    return f"{each}{times} per {cost['per']}"


def when(value: Any) -> str:
    """A time as `2027-03-01 09:30 UTC`; a date as `2027-03-01`."""
    if value is None:
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def shown(value: Any) -> str:
    """A before/after value of a change, short and readable."""
    if value is None:
        return "—"
    if isinstance(value, dict) and "amount_minor" in value and "currency" in value:
        return recurring(value) if "per" in value else money(value)
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {shown(v)}" for k, v in value.items() if k != "id")
    return str(value)


def label(value: str | None) -> str:
    return (value or "").replace("_", " ")


def minor_units(text: str, currency: str, *, field: str = "amount") -> int:
    """ "1,234.56" in the currency's major unit as integer minor units; never a float."""
    cleaned = text.strip().replace(",", "").replace(" ", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise FormError({field: "enter an amount such as 1234.56"}) from None
    digits = get_currency_precision(currency)
    minor = amount.scaleb(digits)
    if not amount.is_finite() or minor != minor.to_integral_value():
        raise FormError({field: f"{currency} amounts have at most {digits} decimals"})
    return int(minor)


def major_units(amount_minor: int, currency: str) -> str:
    return str(Decimal(amount_minor).scaleb(-get_currency_precision(currency)))


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=money, recurring=recurring, when=when, shown=shown, label=label)
    env.filters["pair"] = lambda value: (value, label(value))
    env.globals.update(urlencode=urlencode, quote=quote)
    return env


TEMPLATES = environment()


# ---------------------------------------------------------------- forms


class FormError(Exception):
    """What is wrong with a form, by field ("" for the form as a whole)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class Form:
    """A form as it was posted: which one (`name`), what was typed, what is wrong with it."""

    name: str = ""
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 200

    def value(self, name: str, form: str, default: Any = "") -> Any:
        return self.values.get(name, default) if form == self.name else default

    def error(self, name: str, form: str) -> str | None:
        return self.errors.get(name) if form == self.name else None

    def is_open(self, form: str) -> bool:
        return form == self.name and bool(self.errors)


NO_FORM = Form()
_AT = re.compile(r"at `\$\.?([^`]*)`")
_NAMED = re.compile(r"field `([^`]+)`")


def decoded(kind: type[S], values: dict[str, Any], renames: dict[str, str] | None = None) -> S:
    """The API's own request Struct from a form, so every text and range rule is the same.
    `renames` maps an API field to the form's input that carries it."""
    try:
        return msgspec.convert(values, kind)
    except msgspec.ValidationError as exc:
        message = str(exc)
        at, named = _AT.search(message), _NAMED.search(message)
        name = (at.group(1) if at else "") or (named.group(1) if named else "")
        name = name.split(".")[0].split("[")[0]
        text = re.sub(r" - at `[^`]*`", "", message)
        if "matching regex" in text:
            text = "contains a control character, is blank, or is not in the expected format"
        elif "length >= 1" in text:
            text = "this is required"
        raise FormError({(renames or {}).get(name, name): text}) from None


def failure(exc: Exception, renames: dict[str, str] | None = None) -> tuple[dict[str, str], int]:
    """A use case's refusal as form errors (next to its field when it names one) and the
    status the API would answer."""
    if isinstance(exc, FormError):
        return exc.errors, 422
    if isinstance(exc, ServiceError):
        name = (renames or {}).get(exc.field or "", exc.field or "")
        return {name: exc.detail}, exc.status
    if isinstance(exc, DomainError):
        status = {"invalid": 422, "conflict": 409, "not_found": 404}.get(exc.kind, 422)
        name = (renames or {}).get(exc.field or "", exc.field or "")
        return {name: exc.message}, status
    raise exc


def optional(text: str | None) -> str | None:
    return text if text else None


# ---------------------------------------------------------------- the signed-in request


class NotSignedIn(Exception):
    """No live session: pages send the browser to sign in."""


@dataclass(frozen=True)
class Page:
    """A signed-in request: who, and the tools every page uses."""

    session: Session
    container: Container
    request: Request[Any, Any, Any]

    @property
    def principal(self) -> Any:
        return self.session.principal

    @property
    def role(self) -> Role:
        return Role(self.session.principal.role)

    def can(self, *roles: Role) -> bool:
        return self.role in roles

    def context(self, version: str | None = None) -> Context:
        """The command context, as the API builds it: a form's `version` is its If-Match."""
        if_match = int(version) if version and version.isdigit() else None
        return Context(
            store=self.container.store,
            principal=self.session.principal,
            correlation_id=str(uuid4()),
            if_match=if_match,
            clock=self.container.clock,
        )

    def render(self, template: str, status: int = 200, **values: Any) -> Response[str]:
        response = html(
            TEMPLATES.get_template(template).render(
                page=self,
                csrf=self.session.csrf,
                principal=self.session.principal,
                Role=Role,
                form=values.pop("form", NO_FORM),
                **values,
            ),
            status,
        )
        started = getattr(self.request.state, "portal_started", None)
        if started is not None:
            elapsed = (time.perf_counter() - started) * 1000
            response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
        return response


def html(body: str, status: int = 200, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        body,
        status_code=status,
        media_type=MediaType.HTML,
        headers={**SECURITY_HEADERS, **(headers or {})},
    )


SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def provide_sessions(state: State) -> Sessions:
    sessions: Sessions | None = state.get("portal_sessions")
    if sessions is None:
        sessions = Sessions(state.container.db)
        state.portal_sessions = sessions
    return sessions


def provide_page(request: Request[Any, Any, Any], state: State) -> Page:
    session = provide_sessions(state).find(request.cookies.get(COOKIE))
    if session is None:
        raise NotSignedIn()
    return Page(session=session, container=state.container, request=request)


def posted(data: dict[str, Any], page: Page) -> dict[str, str]:
    """The form's fields, after its CSRF token was checked against the session's."""
    values = {k: v for k, v in data.items() if isinstance(v, str)}
    if not page.session.check_csrf(values.pop("_csrf", None)):
        raise HTTPException(status_code=403, detail="the form has expired: reload the page")
    return values


def uuid_or_404(raw: str, what: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound(f"{what} not found") from None


def back_to(target: str) -> Redirect:
    return Redirect(target, status_code=303)


# ---------------------------------------------------------------- errors as pages


def error_page(request: Request[Any, Any, Any], status: int, detail: str) -> Response[str]:
    body = TEMPLATES.get_template("error.html").render(status=status, detail=detail)
    return html(body, status)


def on_not_signed_in(request: Request[Any, Any, Any], exc: NotSignedIn) -> Response[Any]:
    if request.method != "GET":
        return error_page(request, 401, "your session has ended: sign in again")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(f"/portal/sign-in?{urlencode({'next': target})}", status_code=303)


def on_service(request: Request[Any, Any, Any], exc: ServiceError) -> Response[Any]:
    return error_page(request, exc.status, exc.detail)


def on_domain(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    status = {"invalid": 422, "conflict": 409, "not_found": 404}.get(exc.kind, 422)
    return error_page(request, status, exc.message)


def on_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    return error_page(request, exc.status_code, str(exc.detail))


EXCEPTION_HANDLERS: dict[type[Exception], Any] = {
    NotSignedIn: on_not_signed_in,
    ServiceError: on_service,
    DomainError: on_domain,
    HTTPException: on_http,
}
