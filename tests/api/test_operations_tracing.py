"""OpenTelemetry: one trace runs from the HTTP request through the command and the event
store to the folds of its event (in the projector, through `trace_links`); with tracing off
there is no span and no link."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from infra import tracing
from tests.api.conftest import new_tenant
from tests.api.webhook_receiver import wait_until


@pytest.fixture
def exporter(container: Any) -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    assert tracing.setup_tracing("techplan-test", exporter)
    # The test's own app attaches its projector and read side to the shared container.
    attached = dict(vars(container))
    yield exporter
    tracing.shutdown_tracing()
    vars(container).update(attached)


def test_one_trace_from_the_request_to_the_fold(
    container: Any, exporter: InMemorySpanExporter
) -> None:
    from services.app import create_app
    from services.redis import RedisHook
    from workers.projector import Projector

    app = create_app(container, lifespan_hooks=[RedisHook(), Projector(poll=0.2)])
    with TestClient(app) as http:
        api = new_tenant(http)
        r = api.post("/v1/clients", {"name": "Traced"})
        assert r.status_code == 201
        position = r.json()["position"]

        def folds() -> list[Any]:
            found = [
                s
                for s in exporter.get_finished_spans()
                if s.name.startswith("fold ")
                and (s.attributes or {}).get("techplan.position") == position
            ]
            names = {s.name for s in found}
            return found if {"fold clients", "fold audit"} <= names else []

        fold_spans = wait_until(folds, what="the folds of the client's event")

    spans = exporter.get_finished_spans()
    command = next(s for s in spans if s.name == "command clients.create_client")
    trace_id = command.context.trace_id
    in_trace = {s.context.span_id: s for s in spans if s.context.trace_id == trace_id}
    roots = [s for s in in_trace.values() if s.parent is None]
    assert len(roots) == 1
    request = roots[0]
    assert (request.attributes or {}).get("http.method") == "POST"
    assert request.name.startswith("POST /v1/clients")

    def ancestors(span: Any) -> list[str]:
        chain = []
        while span.parent is not None:
            span = in_trace[span.parent.span_id]
            chain.append(span.name)
        return chain

    save = next(s for s in in_trace.values() if s.name == "eventstore save")
    assert "command clients.create_client" in ancestors(save)
    for fold in fold_spans:
        assert fold.context.trace_id == trace_id
        assert fold.parent.span_id == save.context.span_id  # the save kept the context
        assert ancestors(fold)[-1] == request.name


def test_tracing_is_off_without_an_endpoint(
    container: Any, http: TestClient[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    assert not tracing.setup_tracing("techplan-test")  # OTEL_EXPORTER_OTLP_ENDPOINT unset
    assert not tracing.enabled()
    from services.api.telemetry import tracing_plugins

    assert tracing_plugins() == []
    with tracing.span("anything") as span:
        assert span is None
    api = new_tenant(http)
    with container.db.tx() as cur:
        cur.execute("SELECT count(*) AS n FROM trace_links")
        before = cur.fetchone()["n"]
        api.client("Untraced")
        cur.execute("SELECT count(*) AS n FROM trace_links")
        assert cur.fetchone()["n"] == before
