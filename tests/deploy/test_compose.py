"""Docker has no engine on CI machines, so the compose file is checked by parsing it."""

import yaml

from core.settings import REPO_ROOT

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_services_exist():
    assert {"api", "worker", "vllm", "postgres", "redis", "migrate"} <= set(SERVICES)


def test_migrations_run_before_the_api_and_worker():
    for name in ("api", "worker"):
        assert (
            SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        )
    assert "alembic" in SERVICES["migrate"]["command"]


def test_vllm_is_official_lora_enabled_and_internal_only():
    vllm = SERVICES["vllm"]
    assert vllm["image"].startswith("vllm/vllm-openai")
    assert "--enable-lora" in vllm["command"]
    assert vllm["environment"]["VLLM_ALLOW_RUNTIME_LORA_UPDATING"] == "True"
    assert "ports" not in vllm  # adapter-management endpoints never published


def test_gpu_reservations_and_wiring():
    for name in ("worker", "vllm"):
        devices = SERVICES[name]["deploy"]["resources"]["reservations"]["devices"]
        assert devices[0]["capabilities"] == ["gpu"]
    env = SERVICES["api"]["environment"]
    assert (
        env["SEAL_DATABASE_URL"].startswith("postgresql://")
        and "@postgres:" in env["SEAL_DATABASE_URL"]
    )
    assert env["SEAL_BROKER_URL"].startswith("redis://redis:")
    assert env["SEAL_VLLM_URL"] == "http://vllm:8000"
    assert SERVICES["worker"]["environment"] == env
