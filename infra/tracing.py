"""OpenTelemetry tracing, on only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set.

Spans: the HTTP request (Litestar's OpenTelemetry plugin), the command (services/commands),
the event store's load and save (services/store.py), each fold of an event
(projections/base.py) and each worker job (workers/).

A fold runs later, in another process, so the request's trace reaches it through the
database: before a command saves, its trace context is kept in `trace_links` under the
command's correlation id (which every event of the command carries), and a fold of an event
continues the trace found there. Nothing of this runs while tracing is off: no span, no row.
Rows older than a day are deleted by the worker's cron.

The provider is this module's own rather than OpenTelemetry's global one, so a test can
turn tracing on with an in-memory exporter and off again.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from infra.logs import log_context

log = logging.getLogger("techplan.tracing")

DDL = (
    """CREATE TABLE IF NOT EXISTS trace_links (
        correlation_id text PRIMARY KEY,
        traceparent text NOT NULL,
        at timestamptz NOT NULL DEFAULT now())""",
)

_provider: TracerProvider | None = None
_propagator = TraceContextTextMapPropagator()
_links: OrderedDict[str, dict[str, str] | None] = OrderedDict()  # correlation id -> carrier
_tenant_texts: dict[Any, str] = {}  # tenant id -> its text, for folding's lines


def setup_tracing(service: str, exporter: SpanExporter | None = None) -> bool:
    """Turn tracing on when an exporter is given (tests) or the OTLP endpoint is set."""
    global _provider
    if exporter is None:
        if not os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
            return False
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        processor: Any = BatchSpanProcessor(OTLPSpanExporter())
    else:
        processor = SimpleSpanProcessor(exporter)
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(processor)
    _provider = provider
    _links.clear()
    log.info("tracing on", extra={"service": service})
    return True


def shutdown_tracing() -> None:
    global _provider
    if _provider is not None:
        _provider.shutdown()
    _provider = None


def provider() -> TracerProvider | None:
    return _provider


def enabled() -> bool:
    return _provider is not None


@contextmanager
def span(name: str, **attributes: Any) -> Iterator[trace.Span | None]:
    """A span under the current one, or nothing at all when tracing is off."""
    if _provider is None:
        yield None
        return
    tracer = _provider.get_tracer("techplan")
    clean = {k: v for k, v in attributes.items() if v is not None}
    with tracer.start_as_current_span(name, attributes=clean) as current:
        yield current


def traceparent() -> dict[str, str]:
    """The current trace context as W3C headers (empty when there is none)."""
    carrier: dict[str, str] = {}
    if _provider is not None:
        _propagator.inject(carrier)
    return carrier


@contextmanager
def continued(carrier: dict[str, str] | None) -> Iterator[None]:
    """Run inside the trace that `carrier` (W3C headers) names, if any."""
    if not carrier:
        yield
        return
    token = otel_context.attach(_propagator.extract(carrier))
    try:
        yield
    finally:
        otel_context.detach(token)


def remember(cur: Any, correlation_id: str) -> None:
    """Keep the current trace context for the folds of this command's events."""
    carrier = traceparent()
    if not carrier or not correlation_id:
        return
    cur.execute(
        "INSERT INTO trace_links (correlation_id, traceparent) VALUES (%s, %s)"
        " ON CONFLICT (correlation_id) DO UPDATE SET traceparent = EXCLUDED.traceparent,"
        " at = now()",
        (correlation_id, carrier["traceparent"]),
    )
    _links.pop(correlation_id, None)


def recall(cur: Any, correlation_id: str) -> dict[str, str] | None:
    """The trace context a command kept for `correlation_id` (cached: a batch folds one
    event into every projection)."""
    if correlation_id in _links:
        return _links[correlation_id]
    cur.execute("SELECT traceparent FROM trace_links WHERE correlation_id = %s", (correlation_id,))
    row = cur.fetchone()
    found = {"traceparent": row["traceparent"]} if row else None
    _links[correlation_id] = found
    while len(_links) > 10_000:
        _links.popitem(last=False)
    return found


def forget_old(cur: Any) -> None:
    cur.execute("DELETE FROM trace_links WHERE at < now() - interval '1 day'")


def folding(cur: Any, projection: str, event: Any, position: int) -> AbstractContextManager[Any]:
    """One event folded into one projection: its lines carry the event's correlation id and
    tenant; its span continues the trace of the command that wrote the event. While tracing
    is off (most of the time) this runs for every event of a rebuild, so it costs little: a
    tenant's id is made text once (a UUID's text costs more than the rest together)."""
    correlation_id = getattr(event, "correlation_id", "") or None
    tenant_id = getattr(event, "tenant_id", None)
    tenant = None if tenant_id is None else _tenant_texts.get(tenant_id)
    if tenant is None and tenant_id is not None:
        if len(_tenant_texts) >= 10_000:
            _tenant_texts.clear()
        tenant = _tenant_texts[tenant_id] = str(tenant_id)
    fields = log_context(
        projection=projection,
        position=position,
        correlation_id=correlation_id,
        tenant_id=tenant,
    )
    if _provider is None:
        return fields
    return _traced(cur, fields, projection, correlation_id, position)


@contextmanager
def _traced(
    cur: Any,
    fields: AbstractContextManager[Any],
    projection: str,
    correlation_id: str | None,
    position: int,
) -> Iterator[None]:
    with fields:
        carrier = recall(cur, correlation_id) if correlation_id else None
        with (
            continued(carrier),
            span(
                f"fold {projection}",
                **{"techplan.projection": projection, "techplan.position": position},
            ),
        ):
            yield
