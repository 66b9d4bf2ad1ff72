"""create_app: the Litestar application around a built Container."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

import anyio.to_thread
import msgspec
from litestar import Litestar
from litestar.config.response_cache import ResponseCacheConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Components, SecurityScheme
from litestar.types import ControllerRouterHandler

from domain.assessment import Assessment
from domain.budget import Budget
from domain.client import Client
from domain.plan import TechnologyPlan
from domain.review import Review
from domain.standard import Standard
from domain.strategy import Strategy
from services.api import responses
from services.api.admin import ApiKeyController, TenantAdminController
from services.api.assessments import AssessmentController, ClientAssessmentsController
from services.api.budgets import BudgetController, ClientBudgetsController
from services.api.clients import ClientController
from services.api.common import DEPENDENCIES
from services.api.docs import docs_assets, docs_page
from services.api.history import history_router
from services.api.metrics import metrics
from services.api.openapi import FinishedDocument
from services.api.ops import list_event_types, live, ready
from services.api.plans import ClientPlansController, PlanController
from services.api.readside import AuditController, ClientReadsController, PortfolioController
from services.api.reviews import ClientReviewsController, ReviewController
from services.api.standards import StandardsController
from services.api.strategies import ClientStrategiesController, StrategyController
from services.api.telemetry import request_telemetry, tracing_plugins
from services.api.tenant_data import TenantDataController
from services.api.webhooks import WebhookController
from services.bootstrap import Container
from services.idempotency import idempotency_middleware
from services.portal import portal_router
from services.problems import HANDLERS, PROBLEM
from services.ratelimit import rate_limits, ratelimit_middleware
from services.readwait import ReadSide
from services.timeouts import request_timeout_middleware

log = logging.getLogger("techplan")


class Problem(msgspec.Struct):
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] | None = None


def _spec(description: str) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem,
        description=description,
        media_type=PROBLEM,
        generate_examples=False,
    )


PROBLEMS = {
    400: _spec("Malformed JSON, a bad cursor or query parameter"),
    401: _spec("No API key, or a key that is not valid"),
    403: _spec("The key's role may not do this"),
    404: _spec("No such resource (or not visible to this key)"),
    409: _spec("State conflict or concurrent change"),
    412: _spec("If-Match does not match the current version"),
    413: _spec("Body over the limit"),
    422: _spec("Invalid field, unknown field, or broken domain rule"),
    429: _spec("Too many requests of this API key or its tenant (see Retry-After)"),
    503: _spec(
        "The read side is behind min_position, the database is unavailable, or the request"
        " timed out (see Retry-After)"
    ),
}


def route_handlers() -> list[ControllerRouterHandler]:
    """Every route of the API, in one list."""
    return [
        live,
        ready,
        metrics,
        list_event_types,
        docs_assets(),
        TenantAdminController,
        TenantDataController,
        ApiKeyController,
        ClientController,
        ClientStrategiesController,
        StrategyController,
        history_router("clients", Client),
        history_router("strategies", Strategy),
        ClientPlansController,
        PlanController,
        history_router("plans", TechnologyPlan),
        ClientBudgetsController,
        BudgetController,
        history_router("budgets", Budget),
        AuditController,
        PortfolioController,
        ClientReadsController,
        ClientReviewsController,
        ReviewController,
        history_router("reviews", Review),
        StandardsController,
        history_router("standards", Standard),
        ClientAssessmentsController,
        AssessmentController,
        history_router("assessments", Assessment),
        WebhookController,
        portal_router(),
    ]


class LifespanHook(Protocol):
    """What runs beside the API for as long as it serves (services/redis.py `RedisHook`, the
    worker of `techplan dev`, the projector of the API tests)."""

    async def start(self, container: Container) -> None: ...

    async def stop(self) -> None: ...


def size_thread_pool(container: Container) -> None:
    """As many threads for sync handlers as there are database connections.

    Every sync handler spends its thread talking to PostgreSQL through a pool of
    `db_pool_size + db_pool_max_overflow` connections (the event store's pool is as large). A
    thread more would only queue inside the pool, holding a thread and failing after the pool's
    timeout; a thread fewer would leave a connection idle under load. Waiting for the read
    side takes no thread at all (services/readwait.py), so the pool need not be sized for it.
    """
    settings = container.settings
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = settings.db_pool_size + settings.db_pool_max_overflow


def create_app(container: Container, *, lifespan_hooks: Sequence[LifespanHook] = ()) -> Litestar:
    responses.prepare()  # before any request thread meets an answer's type (see there)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.container = container
        size_thread_pool(container)
        container.read_side = read_side = ReadSide(container)
        await read_side.start()
        app.state.rate_limits = limits = rate_limits(container.settings)
        hooks = list(lifespan_hooks)
        for hook in hooks:
            await hook.start(container)
        try:
            yield
        finally:
            for hook in reversed(hooks):
                await hook.stop()
            await read_side.stop()
            if limits is not None:
                await limits.close()

    app = Litestar(
        route_handlers=route_handlers(),
        dependencies=DEPENDENCIES,
        exception_handlers=HANDLERS,  # type: ignore[arg-type]
        middleware=[
            request_telemetry,
            request_timeout_middleware,
            ratelimit_middleware,
            idempotency_middleware,
        ],
        plugins=tracing_plugins(),
        logging_config=None,  # logging is configured once per process: infra/logs.py
        lifespan=[lifespan],
        request_max_body_size=container.settings.max_body_size,
        response_cache_config=ResponseCacheConfig(),
        openapi_config=OpenAPIConfig(
            title="Techplan",
            version="1.0.0",
            description="Event-sourced IT strategies, technology plans and budgets for MSPs.",
            path="/schema",
            render_plugins=[docs_page(), FinishedDocument()],
            components=Components(
                security_schemes={
                    "apiKey": SecurityScheme(type="http", scheme="bearer", description="API key")
                }
            ),
            security=[{"apiKey": []}],
        ),
    )
    app.state.container = container
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            handler.responses = {**PROBLEMS, **(handler.responses or {})}
    return app
