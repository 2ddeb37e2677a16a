"""The deployment files for more than one machine, checked without a Docker
engine or a cluster: deploy/compose.yaml parsed and its services, replicas and
health checks checked; the Kubernetes manifests validated against the
Kubernetes API's schemas (kubernetes-validate ships them) and checked for
probes on the real health endpoints, resources and placeholder-only secrets;
the HAProxy configurations checked by haproxy itself; both Dockerfiles linted
with hadolint."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from api.routers.health import router as health_router
from tests.support.stack import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
K8S = DEPLOY / "k8s"
BIN = Path(sys.executable).parent
# The real health endpoints: the api's, Rasa's root ("Hello from Rasa", only
# once the model is loaded) and the action server's.
HEALTH = {"api": "/healthz", "rasa": "/", "actions": "/health"}


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return document


def manifests() -> list[dict[str, Any]]:
    documents = []
    for path in sorted(K8S.glob("*.yaml")):
        documents += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return documents


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in manifests() if d["kind"] == kind}


def test_the_api_health_endpoint_the_probes_use_exists() -> None:
    assert HEALTH["api"] in {route.path for route in health_router.routes}  # type: ignore[attr-defined]


def test_compose_runs_every_part_with_two_api_and_two_rasa_behind_haproxy() -> None:
    services = compose()["services"]
    assert set(services) >= {"postgres", "redis", "migrate", "api", "rasa", "actions", "haproxy"}
    assert services["api"]["deploy"]["replicas"] == 2
    assert services["rasa"]["deploy"]["replicas"] == 2
    api_env = services["api"]["environment"]
    assert api_env["ENVIRONMENT"] == "production"
    assert api_env["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "@postgres:5432/" in api_env["DATABASE_URL"]
    assert api_env["RASA_URL"] == "http://haproxy:5080", "Rasa through the balancer"
    assert api_env["RATE_LIMIT_STORAGE_URL"].startswith("redis://"), "limits shared by instances"
    assert "${CONVERSATION_SECRET" in api_env["CONVERSATION_SECRET"], "from the env file, not here"
    # Rasa's conversations and locks in Redis, with a password (production).
    assert services["rasa"]["environment"]["REDIS_URL"].startswith("redis://:${REDIS_PASSWORD")
    assert services["rasa"]["command"] == ["rasa"] and services["actions"]["command"] == ["actions"]
    # Migrations once, before any api instance.
    assert services["migrate"]["command"][-1] == "seed"
    assert services["api"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    # The balancer's own address is the only one whose X-Forwarded-For is believed.
    haproxy_ip = services["haproxy"]["networks"]["navigator"]["ipv4_address"]
    assert api_env["FORWARDED_ALLOW_IPS"] == haproxy_ip
    actions_ip = services["actions"]["networks"]["navigator"]["ipv4_address"]
    assert actions_ip in api_env["RATE_LIMIT_EXEMPT"].split(",")


def test_every_long_running_compose_service_has_a_health_check_on_its_real_endpoint() -> None:
    services = compose()["services"]
    for name in ("postgres", "redis", "api", "rasa", "actions", "haproxy"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no health check"
    for name, path in HEALTH.items():
        check = " ".join(services[name]["healthcheck"]["test"])
        port = {"api": 8000, "rasa": 5005, "actions": 5055}[name]
        assert f"127.0.0.1:{port}{path}'" in check, check


def test_compose_builds_from_files_that_exist() -> None:
    services = compose()["services"]
    for name in ("migrate", "api", "rasa", "actions"):
        build = services[name]["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).is_file()
    mount = services["haproxy"]["volumes"][0].split(":")[0]
    assert (DEPLOY / mount).is_file()
    assert (DEPLOY / ".env.example").is_file()
    assert ".env" in (DEPLOY / ".gitignore").read_text().split()


def test_the_kubernetes_manifests_validate_against_the_kubernetes_schemas() -> None:
    files = [str(p) for p in sorted(K8S.glob("*.yaml")) if p.name != "kustomization.yaml"]
    result = subprocess.run(
        [str(BIN / "kubernetes-validate"), "--strict", "--quiet", *files],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in K8S.glob("*.yaml")} - {
        "kustomization.yaml", "secret.template.yaml"
    }, "every manifest but the secret template is applied"


def test_each_deployment_is_probed_on_its_real_health_endpoint_with_resources() -> None:
    deployments = of_kind("Deployment")
    assert set(deployments) == {f"navigator-{name}" for name in HEALTH}
    assert deployments["navigator-api"]["spec"]["replicas"] >= 2
    assert deployments["navigator-rasa"]["spec"]["replicas"] >= 2
    for name, path in HEALTH.items():
        (container,) = deployments[f"navigator-{name}"]["spec"]["template"]["spec"]["containers"]
        for probe in ("readinessProbe", "livenessProbe"):
            assert container[probe]["httpGet"]["path"] == path, (name, probe)
        resources = container["resources"]
        assert {"cpu", "memory"} <= set(resources["requests"]), name
        assert {"cpu", "memory"} <= set(resources["limits"]), name
        assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_each_deployment_has_a_service_that_selects_its_pods() -> None:
    services = of_kind("Service")
    for name, deployment in of_kind("Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        selector = services[name]["spec"]["selector"]
        assert selector.items() <= labels.items(), name
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        port = services[name]["spec"]["ports"][0]["targetPort"]
        assert port in {p["name"] for p in container["ports"]}, name


def test_the_config_points_each_part_at_the_others_services() -> None:
    config = of_kind("ConfigMap")["navigator-config"]["data"]
    assert config["ENVIRONMENT"] == "production"
    assert config["RASA_URL"] == "http://navigator-rasa:5005"
    assert config["NAVIGATOR_API_URL"] == "http://navigator-api:8000"
    assert config["ACTION_ENDPOINT_URL"] == "http://navigator-actions:5055/webhook"


def test_the_secret_template_holds_placeholders_only() -> None:
    secret = yaml.safe_load((K8S / "secret.template.yaml").read_text())
    values = secret["stringData"]
    assert set(values) >= {"DATABASE_URL", "REDIS_URL", "CONVERSATION_SECRET"}
    for key, value in values.items():
        assert "REPLACE_ME" in value, f"{key} is not a placeholder"
    assert values["REDIS_URL"].startswith("rediss://:"), "a password and TLS in production"


@pytest.mark.parametrize("config", ["haproxy.cfg", "haproxy-compose.cfg"])
def test_the_haproxy_configurations_are_valid(config: str) -> None:
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        pytest.skip("haproxy is not installed (make run-cluster installs it)")
    env = {
        **os.environ, "CLUSTER_BIND": "127.0.0.1", "CLUSTER_PORT": "8080",
        "CLUSTER_RASA_PORT": "5080", "CLUSTER_STATS_PORT": "8404", "API_1": "127.0.0.1:8081",
        "API_2": "127.0.0.1:8082", "RASA_1": "127.0.0.1:5081", "RASA_2": "127.0.0.1:5082",
    }
    result = subprocess.run(
        [haproxy, "-c", "-f", str(DEPLOY / "haproxy" / config)],
        capture_output=True, text=True, env=env, timeout=30, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("dockerfile", ["Dockerfile", "bot/Dockerfile"])
def test_the_dockerfiles_pass_hadolint(dockerfile: str) -> None:
    result = subprocess.run(
        [str(BIN / "hadolint"), "--no-color", dockerfile],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_build_context_leaves_out_local_environments_but_not_the_sources() -> None:
    # Docker reads .dockerignore patterns like fnmatch over paths from the
    # context root; a local .venv (several GB) or a trained model must not be
    # sent, while the bot's training data and the sources must.
    from fnmatch import fnmatch

    patterns = [line.strip().rstrip("/") for line in
                (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]

    def ignored(path: str) -> bool:
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return any(fnmatch(prefix, pattern) for prefix in prefixes for pattern in patterns)

    for path in (".venv/bin/python", "bot/.venv/bin/rasa", "bot/models/navigator.tar.gz",
                 "api/__pycache__/main.cpython-311.pyc", ".git/HEAD"):
        assert ignored(path), path
    for path in ("bot/data/nlu/asker.yml", "api/main.py", "pathways/reading.py",
                 "knowledge/content/seed/services.yaml", "uv.lock", "bot/requirements.lock"):
        assert not ignored(path), path
