"""deploy/k8s/: valid for a pinned Kubernetes release by the schemas kubernetes-validate ships,
and in agreement with the image and the code it runs."""

from __future__ import annotations

import copy
from typing import Any

import kubernetes_validate
import pytest
from kubernetes_validate.utils import all_versions

from tests.deploy.deployfiles import (
    IMAGE,
    REQUIRED_ENV,
    app_routes,
    cli_command,
    dockerfile_stages,
    image_cmd,
    image_entrypoint,
    k8s_documents,
    settings_env_names,
)

# The oldest release the managed clouds still run as standard support at the end of 2026;
# raise it when they move. Strict: an unknown field (a misspelt probe) fails too.
KUBERNETES = "1.35.0"


def test_the_pinned_release_is_one_kubernetes_validate_ships() -> None:
    assert KUBERNETES in all_versions()


DOCUMENTS = k8s_documents()


@pytest.mark.parametrize(
    "document", DOCUMENTS, ids=[f"{d['kind']}/{d['metadata']['name']}" for d in DOCUMENTS]
)
def test_manifest_is_valid_for_the_pinned_release(document: dict[str, Any]) -> None:
    # validate() falls back to an older schema set when the pinned one is missing: it must not.
    assert kubernetes_validate.validate(document, KUBERNETES, strict=True) == "1.35"


def test_the_validation_catches_a_broken_manifest() -> None:
    """Guards the check above against passing whatever it is given."""
    api = copy.deepcopy(next(d for d in DOCUMENTS if d["kind"] == "Deployment"))
    container = api["spec"]["template"]["spec"]["containers"][0]
    container["readynessProbe"] = container.pop("readinessProbe", {})
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(api, KUBERNETES, strict=True)
    api = copy.deepcopy(next(d for d in DOCUMENTS if d["kind"] == "Deployment"))
    api["spec"]["replicas"] = "three"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(api, KUBERNETES, strict=True)


def pod_specs() -> list[dict[str, Any]]:
    return [d["spec"]["template"]["spec"] for d in DOCUMENTS if d["kind"] in ("Deployment", "Job")]


def argv(container: dict[str, Any]) -> list[str]:
    """What the container runs: `command` replaces the image's ENTRYPOINT, `args` its CMD."""
    if "command" in container:
        return [*container["command"], *container.get("args", [])]
    return [*image_entrypoint(), *container.get("args", image_cmd())]


def pod_containers(document: dict[str, Any]) -> list[dict[str, Any]]:
    containers: list[dict[str, Any]] = document["spec"]["template"]["spec"]["containers"]
    return containers


def containers() -> list[dict[str, Any]]:
    return [c for spec in pod_specs() for c in spec["containers"]]


def test_every_container_runs_the_project_image_with_a_real_command() -> None:
    commands = sorted(cli_command(argv(c)).command for c in containers())
    assert commands == ["migrate", "serve", "worker"]
    assert {c["image"] for c in containers()} == {IMAGE}


def test_environment_names_are_read_by_settings_and_cover_what_each_command_needs() -> None:
    known = settings_env_names()
    for container in containers():
        assert "envFrom" not in container, "name each variable: a missing one stops the pod"
        names = {e["name"] for e in container.get("env", [])}
        assert names <= known, f"{container['name']}: Settings never reads {names - known}"
        needed = REQUIRED_ENV[cli_command(argv(container)).command]
        assert needed <= names, f"{container['name']}: missing {needed - names}"


def port_number(container: dict[str, Any], port: int | str) -> int:
    if isinstance(port, int):
        return port
    (number,) = [p["containerPort"] for p in container["ports"] if p.get("name") == port]
    return int(number)


def test_ports_and_probes_match_the_server() -> None:
    (api,) = [c for c in containers() if cli_command(argv(c)).command == "serve"]
    serving = cli_command(argv(api)).port
    assert [p["containerPort"] for p in api["ports"]] == [serving]
    assert dockerfile_stages()[-1].args("EXPOSE") == [str(serving)]
    routes = app_routes()
    probes = {kind: api[kind]["httpGet"] for kind in ("readinessProbe", "livenessProbe")}
    assert probes["livenessProbe"]["path"] == "/health/live"
    assert probes["readinessProbe"]["path"] == "/health/ready"
    for kind, probe in probes.items():
        assert "GET" in routes.get(probe["path"], frozenset()), f"{kind}: {probe['path']}"
        assert port_number(api, probe["port"]) == serving, kind


def test_the_service_sends_traffic_to_the_api_pods_on_the_served_port() -> None:
    (service,) = [d for d in DOCUMENTS if d["kind"] == "Service"]
    (api,) = [
        d
        for d in DOCUMENTS
        if d["kind"] == "Deployment"
        and any(cli_command(argv(c)).command == "serve" for c in pod_containers(d))
    ]
    labels = api["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert api["spec"]["selector"]["matchLabels"].items() <= labels.items()
    container = api["spec"]["template"]["spec"]["containers"][0]
    (port,) = service["spec"]["ports"]
    assert port_number(container, port["targetPort"]) == cli_command(argv(container)).port


def test_pods_run_as_the_image_user_and_meet_the_restricted_standard() -> None:
    uid = int(dockerfile_stages()[-1].args("USER")[-1].split(":")[0])
    for spec in pod_specs():
        security = spec["securityContext"]
        assert security["runAsNonRoot"] is True
        assert security["runAsUser"] == uid
        assert security["seccompProfile"]["type"] == "RuntimeDefault"
        for container in spec["containers"]:
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
