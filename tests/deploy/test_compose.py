"""Docker has no engine on CI machines, so the compose file is checked by parsing it."""

import json
import re

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


# ---------------------------------------------------------------- monitoring (docs/observability.md)

DEPLOY = REPO_ROOT / "deploy"
DASHBOARD = json.loads((DEPLOY / "grafana-dashboard.json").read_text())
# Labels Prometheus itself adds to every scraped series.
TARGET_LABELS = {"job", "instance", "le"}


def test_prometheus_and_grafana_come_with_the_monitoring_profile_only():
    for name in ("prometheus", "grafana"):
        assert SERVICES[name]["profiles"] == ["monitoring"], name
        assert SERVICES[name]["restart"] == "unless-stopped"
        assert all(p.startswith("127.0.0.1:") for p in SERVICES[name]["ports"]), name
    for name in ("api", "worker", *VLLM, "postgres", "redis", "migrate"):
        assert "profiles" not in SERVICES[name], name  # the service runs without the profile
    mounts = SERVICES["prometheus"]["volumes"]
    assert "./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in mounts
    grafana = SERVICES["grafana"]["volumes"]
    assert "./deploy/grafana-dashboard.json:/etc/grafana/dashboards/seal.json:ro" in grafana
    provider = yaml.safe_load((DEPLOY / "grafana/provisioning/dashboards/seal.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/etc/grafana/dashboards"
    source = yaml.safe_load(
        (DEPLOY / "grafana/provisioning/datasources/prometheus.yml").read_text()
    )
    assert source["datasources"][0]["url"] == "http://prometheus:9090"


def test_prometheus_scrapes_the_api_and_every_worker_where_they_serve():
    config = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert jobs["seal-api"]["static_configs"][0]["targets"] == ["api:8000"]
    assert SERVICES["api"]["ports"] == ["8000:8000"]
    env = SERVICES["worker"]["environment"]
    port = int(env["SEAL_WORKER_METRICS_PORT"])
    assert env["SEAL_WORKER_METRICS_HOST"] == "0.0.0.0"  # reachable from Prometheus' container
    assert str(port) in SERVICES["worker"]["expose"]
    worker = jobs["seal-worker"]["dns_sd_configs"][0]
    assert worker["names"] == ["worker"] and worker["port"] == port
    assert env["SEAL_LOG_FORMAT"] == "json"
    assert "--no-access-log" in SERVICES["api"]["command"]  # the API logs its own access lines


def _exprs(panels: list[dict]) -> list[tuple[str, str]]:
    out = []
    for panel in panels:
        out += [(panel["title"], t["expr"]) for t in panel.get("targets", [])]
        out += _exprs(panel.get("panels", []))  # a collapsed row holds its panels
    return out


def test_every_metric_and_label_the_dashboard_uses_is_defined_in_core_metrics():
    from core.metrics import defined_metrics, sample_names

    defined = defined_metrics()
    series = {s: name for name, (kind, _) in defined.items() for s in sample_names(name, kind)}
    exprs = _exprs(DASHBOARD["panels"])
    assert len(exprs) >= 20
    used: set[str] = set()
    for title, expr in exprs:
        assert expr.count("(") == expr.count(")") and expr.count("{") == expr.count("}"), title
        names = set(re.findall(r"\bseal_[a-z0-9_]+\b", expr))
        assert names, (title, expr)
        unknown = names - set(series)
        assert not unknown, f"{title}: {sorted(unknown)} not defined in core/metrics.py"
        families = {series[n] for n in names}
        used |= families
        labels = set(TARGET_LABELS)
        for family in families:
            labels |= set(defined[family][1])
        grouped = re.findall(r"\b(?:by|without)\s*\(([^)]*)\)", expr)
        matched = re.findall(r"(\w+)\s*(?:=~|!~|!=|=)\s*\"", expr)
        for label in [x.strip() for g in grouped for x in g.split(",") if x.strip()] + matched:
            assert label in labels, f"{title}: label {label!r} is on none of {sorted(families)}"
    # What the issue asks a dashboard to show.
    assert {
        "seal_jobs_finished",
        "seal_job_stage_seconds",
        "seal_queue_depth",
        "seal_queue_oldest_age_seconds",
        "seal_guard_verdicts",
        "seal_gate_results",
        "seal_candidates_trained",
        "seal_adapters_loaded",
        "seal_query_seconds",
        "seal_query_tokens",
        "seal_adapter_load_seconds",
    } <= used
    stage_quantiles = [e for _, e in exprs if "seal_job_stage_seconds_bucket" in e]
    assert any("histogram_quantile(0.5," in e for e in stage_quantiles)
    assert any("histogram_quantile(0.95," in e for e in stage_quantiles)


def test_the_dashboard_is_a_grafana_model_on_a_chosen_prometheus():
    assert DASHBOARD["uid"] and DASHBOARD["title"] and DASHBOARD["schemaVersion"] >= 30
    variables = {v["name"]: v for v in DASHBOARD["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    ids = [p["id"] for p in DASHBOARD["panels"]]
    assert len(ids) == len(set(ids))
    for panel in DASHBOARD["panels"]:
        assert {"h", "w", "x", "y"} <= set(panel["gridPos"]), panel["title"]
        for target in panel.get("targets", []):
            assert target["datasource"]["uid"] == "${datasource}"
