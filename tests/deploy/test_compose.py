"""Docker has no engine on CI machines, so the compose file is checked by parsing it."""

import yaml

from core.settings import REPO_ROOT

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


VLLM = ("vllm-a", "vllm-b")


def test_services_exist():
    assert {"api", "worker", *VLLM, "postgres", "redis", "migrate"} <= set(SERVICES)


def test_long_running_services_restart_and_nothing_reaches_a_model_hub():
    for name in ("api", "worker", *VLLM, "postgres", "redis", "minio"):
        assert SERVICES[name]["restart"] == "unless-stopped", name
    assert SERVICES["api"]["environment"]["HF_HUB_OFFLINE"] == "1"
    for name in VLLM:
        assert SERVICES[name]["environment"]["HF_HUB_OFFLINE"] == "1"
        assert "healthcheck" in SERVICES[name]


def test_migrations_run_before_the_api_and_worker():
    for name in ("api", "worker"):
        assert (
            SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        )
    assert "alembic" in SERVICES["migrate"]["command"]


def test_vllm_replicas_are_official_lora_enabled_keyed_and_internal_only():
    for name in VLLM:
        vllm = SERVICES[name]
        assert vllm["image"].startswith("vllm/vllm-openai")
        assert "--enable-lora" in vllm["command"]
        assert "--api-key ${SEAL_VLLM_API_KEY}" in vllm["command"]
        assert vllm["environment"]["VLLM_ALLOW_RUNTIME_LORA_UPDATING"] == "True"
        assert "ports" not in vllm  # adapter-management endpoints never published
    env = SERVICES["api"]["environment"]
    assert yaml.safe_load(env["SEAL_VLLM_URLS"]) == [f"http://{n}:8000" for n in VLLM]
    assert env["SEAL_VLLM_API_KEY"] == "${SEAL_VLLM_API_KEY:?set SEAL_VLLM_API_KEY}"


def test_gpu_reservations_and_wiring():
    for name in ("worker", *VLLM):
        devices = SERVICES[name]["deploy"]["resources"]["reservations"]["devices"]
        assert devices[0]["capabilities"] == ["gpu"]
    env = SERVICES["api"]["environment"]
    assert (
        env["SEAL_DATABASE_URL"].startswith("postgresql://")
        and "@postgres:" in env["SEAL_DATABASE_URL"]
    )
    assert env["SEAL_BROKER_URL"].startswith("redis://redis:")
    assert SERVICES["worker"]["environment"] == env
