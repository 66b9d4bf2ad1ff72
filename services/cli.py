"""`techplan …`: serve, worker, dev, migrate, tenants, projections."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from infra.logs import configure_logging
from services.settings import Settings, SettingsError

if TYPE_CHECKING:
    from litestar import Litestar

    from services.bootstrap import Container


def _fail(message: str) -> int:
    print(f"techplan: {message}", file=sys.stderr)
    return 2


def _container(settings: Settings, *, need_redis: bool = False) -> Container:
    from infra.db import check_reachable
    from services.bootstrap import bootstrap

    check_reachable(settings.require_database())
    if need_redis:
        from services.redis import check_redis

        check_redis(settings.require_redis())
    return bootstrap(settings)


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from services.schema import migrate

    c = _container(settings)
    try:
        converted = migrate(c.db, c.store, c.runner)
    finally:
        c.close()
    if converted["keys"]:
        print(
            f"techplan: {converted['keys']} admin keys limited to clients are now editor keys"
            f" with the same clients; {converted['webhooks']} webhooks they may have created"
            " are disabled for review"
        )
    print("techplan: schema is up to date")
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "proxy_headers": True,
        "log_config": None,  # our JSON lines (infra/logs.py), not uvicorn's format
        "access_log": False,  # services/api/telemetry.py logs each request with its ids
    }
    if args.workers < 1:
        return _fail("--workers must be at least 1")
    if args.workers > 1:
        # Several processes: prometheus-client's multiprocess mode adds up their metrics.
        # The directory must be known before any of them imports prometheus_client.
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="techplan-metrics-")
        _container(settings, need_redis=True).close()  # fail early, with one clear line
        uvicorn.run("services.cli:serve_app", factory=True, workers=args.workers, **options)
        return 0
    uvicorn.run(serve_app(settings), **options)
    return 0


def serve_app(settings: Settings | None = None) -> Litestar:
    """The API of `techplan serve` (uvicorn calls this in each worker process)."""
    from infra.tracing import setup_tracing
    from services.app import create_app
    from services.redis import RedisHook

    if settings is None:
        configure_logging()
        settings = Settings.from_env()
    setup_tracing("techplan-api")
    c = _container(settings, need_redis=True)
    app = create_app(c, lifespan_hooks=[RedisHook()])
    # What the process built to serve (modules, routes, schemas, pools) lives as long as it
    # does: out of the collector's sight, a collection scans a request's objects, not the
    # whole heap again. And a young collection every 10,000 objects, not 700: each one walks
    # every live object of the requests in flight (64 of them: dozens of collections a
    # second, each a few hundred µs). Collections took ~100 µs a request, now a few.
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    return app


def default_workers() -> int:
    """`WEB_CONCURRENCY` (the convention uvicorn and gunicorn share), else one process: on
    Kubernetes or compose, scale replicas; on a VM give one per core (OPERATIONS.md)."""
    raw = os.environ.get("WEB_CONCURRENCY", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    from infra.db import check_reachable
    from services.redis import check_redis
    from workers.main import run_worker

    check_reachable(settings.require_database())
    check_redis(settings.require_redis())
    return run_worker(settings)


def cmd_dev(settings: Settings, args: argparse.Namespace) -> int:
    from services.dev import run_dev

    return run_dev(settings, host=args.host, port=args.port)


def cmd_tenants(settings: Settings, args: argparse.Namespace) -> int:
    from services.auth import create_tenant

    c = _container(settings)
    try:
        tenant = create_tenant(c.db, args.name)
    finally:
        c.close()
    print(f"tenant {tenant['name']} created: {tenant['id']}")
    print(f"admin API key (shown once): {tenant['api_key']['key']}")
    return 0


def cmd_tenant_data(settings: Settings, args: argparse.Namespace) -> int:
    """export / import / purge: a tenant's data as a whole (services/tenancy)."""
    from uuid import UUID

    from services.errors import ServiceError

    try:
        tenant_id = UUID(args.id) if args.action != "import" else None
    except ValueError:
        return _fail(f"not a tenant id: {args.id!r}")
    c = _container(settings)
    try:
        if args.action == "export":
            return _export(c, tenant_id, args.out)
        if args.action == "import":
            return _import(c, args.file)
        from services.tenancy.purge import purge_tenant

        assert tenant_id is not None
        result = purge_tenant(c.db, c.store.app, tenant_id, confirm=args.confirm, by="cli")
        print(
            f"tenant {result['id']} purged: "
            + ", ".join(f"{n} {what}" for what, n in result["purged"].items())
        )
        return 0
    except ServiceError as exc:
        return _fail(exc.detail)
    finally:
        c.close()


def _export(c: Container, tenant_id: object, out: str | None) -> int:
    from uuid import UUID

    from services.tenancy.export import export_lines

    assert isinstance(tenant_id, UUID)
    target = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
    try:
        for line in export_lines(c.db, c.store.app, tenant_id):
            target.write(line)
    finally:
        if out:
            target.close()
    return 0


def _import(c: Container, path: str) -> int:
    from services.tenancy.restore import import_tenant

    def lines() -> Iterator[str]:
        with open(path, encoding="utf-8") as f:
            yield from f

    result = import_tenant(c.db, c.store.app, lines, secret_key=c.settings.secret_key)
    print(f"tenant {result['name']} imported: {result['id']} ({result['events']} events)")
    return 0


def cmd_projections(settings: Settings, args: argparse.Namespace) -> int:
    c = _container(settings)
    try:
        if args.action == "status":
            for s in c.runner.status():
                _print_status(s)
            return 0
        from projections.rebuild import RebuildRunning, rebuild_many

        if args.action == "retry":
            names = [args.name]
        else:
            names = list(c.runner.by_name) if args.all else args.names
        if not names:
            return _fail("name the projections to rebuild, or --all")
        for name in names:
            if name not in c.runner.by_name:
                return _fail(f"no projection {name!r}; known: {', '.join(c.runner.by_name)}")
        if args.action == "retry":
            result = c.runner.retry(args.name)
            print(
                f"{args.name}: {result['folded']} parked events folded,"
                f" {result['parked']} still parked"
            )
            return 0
        try:
            rebuild_many(
                c.runner,
                names,
                progress=True,
                processes=args.processes,
                settings=c.settings,
            )
        except RebuildRunning as exc:
            return _fail(str(exc))
        return 0
    finally:
        c.close()


def _print_status(s: dict[str, Any]) -> None:
    state = f"STOPPED at {s['error_position']}: {s['error']}" if s["error"] else "ok"
    parked = s["parked"]
    if parked["events"]:
        state += f"  PARKED {parked['events']} events of {parked['aggregates']} aggregates"
    print(f"{s['name']:<14} position {s['position']:>10}  lag {s['lag']:>8}  {state}")
    for head in parked["heads"]:
        print(
            f"  parked at {head['position']}: aggregate {head['aggregate_id']}"
            f" of tenant {head['tenant_id']}: {head['error']}"
        )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="techplan", description="Techplan: IT strategy, plans, budgets"
    )
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="API processes (default: $WEB_CONCURRENCY, else 1)",
    )
    serve.set_defaults(run=cmd_serve)
    sub.add_parser("worker", help="an arq worker: projections, deliveries").set_defaults(
        run=cmd_worker
    )
    dev = sub.add_parser("dev", help="API + worker on embedded services, with demo data")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8000)
    dev.set_defaults(run=cmd_dev)
    sub.add_parser("migrate", help="create or upgrade the schema").set_defaults(run=cmd_migrate)
    tenants = sub.add_parser("tenants", help="manage tenants")
    tsub = tenants.add_subparsers(dest="action", required=True)
    create = tsub.add_parser("create", help="create a tenant and print its admin key")
    create.add_argument("name")
    create.set_defaults(run=cmd_tenants)
    export = tsub.add_parser("export", help="write the tenant's data as JSON lines")
    export.add_argument("id")
    export.add_argument("--out", help="a file (default: standard output)")
    export.set_defaults(run=cmd_tenant_data)
    imported = tsub.add_parser("import", help="import a tenant's export into this database")
    imported.add_argument("file")
    imported.set_defaults(run=cmd_tenant_data)
    purge = tsub.add_parser("purge", help="remove every trace of the tenant's data")
    purge.add_argument("id")
    purge.add_argument("--confirm", required=True, help="the tenant's id again")
    purge.set_defaults(run=cmd_tenant_data)
    projections = sub.add_parser("projections", help="read-model status and rebuilds")
    psub = projections.add_subparsers(dest="action", required=True)
    psub.add_parser("status").set_defaults(run=cmd_projections)
    rebuild = psub.add_parser(
        "rebuild", help="rebuild projections together, in one pass over the log"
    )
    rebuild.add_argument("names", nargs="*", metavar="NAME")
    rebuild.add_argument("--all", action="store_true", help="every projection")
    rebuild.add_argument(
        "--processes",
        type=int,
        default=1,
        help="split the pass over the log between N processes, by aggregate (one per idle core)",
    )
    rebuild.set_defaults(run=cmd_projections)
    retry = psub.add_parser("retry", help="fold the projection's parked events again")
    retry.add_argument("name")
    retry.set_defaults(run=cmd_projections)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    configure_logging()
    try:
        settings = Settings.from_env()
        if args.command in ("serve", "worker", "migrate", "tenants", "projections"):
            settings.require_database()
        result: int = args.run(settings, args)
        return result
    except (SettingsError, ConnectionError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
