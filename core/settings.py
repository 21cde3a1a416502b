"""Service settings: one pydantic-settings class read from the environment (prefix ``SEAL_``) and
the local ``.env`` file. Workers import this without importing FastAPI."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SEAL_HOME = Path(os.environ.get("SEAL_HOME", Path.home() / ".cache" / "seal-service"))
REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SEAL_", env_file=".env", extra="ignore")

    # Secrets have no default: the launcher generates one into .env on first run.
    admin_key: str | None = None

    data_dir: Path = REPO_ROOT / "var"
    database_url: str | None = None  # default: SQLite file in data_dir
    broker_url: str | None = None  # default: kombu's SQLAlchemy transport on a SQLite file
    artifact_dir: Path | None = None  # default: data_dir / "adapters"

    base_model_path: Path = SEAL_HOME / "models" / "SmolLM2-135M-Instruct"
    base_model_name: str = "base"

    # vLLM, started by the project on loopback only. Empty vllm_url = no serving (training-only worker).
    vllm_host: str = "127.0.0.1"
    vllm_port: int = 8100
    vllm_url: str | None = "http://127.0.0.1:8100"
    # Several vLLM replicas: the launcher starts vllm_replicas of them on consecutive ports from
    # vllm_url's; a deployment lists its own in vllm_urls (which then wins). The API spreads
    # queries over the ready ones and keeps every replica's adapters in step (serving/replicas.py).
    vllm_replicas: int = Field(1, ge=1, le=16)
    vllm_urls: list[str] = []
    # Sent as a bearer token to vLLM (started with --api-key): its adapter-management endpoints
    # then refuse anyone else on the network. None: loopback only, no key.
    vllm_api_key: str | None = None
    vllm_max_lora_rank: int = 16
    vllm_max_loras: int = 8
    vllm_max_cpu_loras: int = 16
    vllm_max_model_len: int = 2048
    vllm_kvcache_gib: int = 2
    vllm_start_timeout_s: float = 300.0

    api_host: str = "127.0.0.1"
    api_port: int = 8000

    # Request limits.
    max_documents: int = 16
    max_document_chars: int = 20_000
    max_questions_per_document: int = 20
    max_request_bytes: int = 1_000_000
    max_query_tokens: int = 512
    # Fair use, per tenant (a tenant's policy may set its own; docs/api.md "Quotas"): jobs that
    # hold or wait for the worker, jobs created per hour, queries per minute, characters scanned
    # by /v1/guards/scan per minute. Over a limit the answer is 429 with Retry-After.
    tenant_max_active_jobs: int = Field(4, ge=1)
    tenant_max_jobs_per_hour: int = Field(60, ge=1)
    tenant_max_queries_per_minute: int = Field(600, ge=1)
    tenant_max_scan_chars_per_minute: int = Field(400_000, ge=1)

    # Self-edit generation: "vllm" samples from the served model (the product); "local" samples
    # in-process with transformers (tests on a tiny model, benchmarks without a server).
    generation_backend: str = "vllm"
    selfedit_k: int = Field(3, ge=1, le=16)
    selfedit_styles: list[str] = ["implications", "rewrite", "qa"]
    selfedit_max_tokens: int = 192
    selfedit_temperature: float = 0.9
    probe_count: int = 5
    probe_max_tokens: int = 160
    answer_max_tokens: int = 32

    # LoRA training.
    lora_rank: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.0
    lora_target_modules: list[str] = [
        "q_proj",
        "k_proj",
        "v_proj",
        "o_proj",
        "gate_proj",
        "up_proj",
        "down_proj",
    ]
    # The decoder layers that get the adapter (empty: all of them).
    lora_layers: list[int] = []
    learning_rate: float = 1e-3
    epochs: int = 5
    # Short documents give few batches per epoch; without a floor on optimizer steps a one-sentence
    # fact gets 5 updates and is not learned (measured: 5 steps did not teach it, 20 did).
    min_steps: int = 20
    batch_size: int = 4
    max_seq_len: int = 256
    seed: int = 0
    torch_threads: int | None = None

    # How a candidate learns (seal/objectives.py; measured in docs/benchmarks.md and
    # docs/forgetting.md): "sft" (next-token loss on the document and its self-edits, SEAL's
    # update), "context_distillation" (the base model's open-book answers to the self-edit's and
    # cloze questions, as closed-book targets), "context_distillation_sft" (both) or "sdft"
    # (on-policy self-distillation from the base model with the document in context). Context
    # distillation is the default: with the KL anchor it taught the Zorblax fact with each of 3
    # candidates where sft taught it with 1 of 3 (in the service: 0 of 3). On SQuAD passages the
    # sweep (bench/objectives.py) found the passage alone + anchor learns more (0.22 of the gold
    # questions against 0.03) at the same general-suite cost: docs/forgetting.md says what is next.
    objective: Literal["sft", "context_distillation", "context_distillation_sft", "sdft"] = (
        "context_distillation"
    )
    # The KL anchor: weight x KL(serving model || candidate) on the answers to kl_anchor_size
    # rehearsal prompts, kl_anchor_batch of them per step (0: off).
    kl_anchor_weight: float = Field(2.0, ge=0)
    kl_anchor_size: int = Field(32, ge=0, le=256)
    kl_anchor_batch: int = Field(4, ge=1)
    # The distillation objectives: questions per document, and the student's samples (sdft).
    distill_questions: int = Field(8, ge=1, le=64)
    sdft_max_tokens: int = Field(24, ge=1)
    sdft_temperature: float = Field(1.0, gt=0)

    # Scoped adapters (seal/scope.py): a query reaches the tenant's adapter only when it is close
    # to what the tenant taught; the threshold lets at most this share of general prompts through.
    embedding_model_path: Path = SEAL_HOME / "models" / "all-MiniLM-L6-v2"
    # 0.02: on 30 SQuAD *train* passages taught one at a time, 99.4% of their questions reached the
    # adapter and 2.0% of the general suite did (0.05: 100% and 6.6%).
    route_general_rate: float = Field(0.02, ge=0.0, le=1.0)
    # A candidate is gated (and may then serve) only when its reward beats this: SEAL keeps only
    # self-edits that improve. Below zero only for tests on a random model, whose rewards are 0.
    min_reward: float = 0.0
    # Gates run on those candidates, best first, until one passes or this many were tried.
    gate_budget: int = Field(3, ge=1, le=16)

    # Guards (guards/): per-guard config by registered name, e.g.
    # SEAL_GUARDS='{"pii": {"score_threshold": 0.6}, "flooding": {"max_near_duplicates": 1}}'.
    guards: dict[str, dict] = {}
    disabled_guards: list[str] = []
    # How many of the tenant's taught documents the corpus guards (flooding, triggers,
    # contradiction) compare a new one with, newest first.
    guard_history_limit: int = Field(500, ge=0)
    max_scan_documents: int = 32

    # Forgetting checks (gates/) and continual learning (seal/continual.py): gates to skip; how many training examples of the
    # active lineage's self-edits are replayed when training a new version, and how many of the
    # base model's own answers to general prompts are rehearsed as cross-entropy targets (0: none).
    # Rehearsal is off by default: the KL anchor holds the same prompts to the serving model's
    # token distributions, and the two together stopped a one-sentence fact from being learned
    # at all (measured on the Zorblax fact: reward 0.0 with both, 0.4 with the anchor alone).
    disabled_gates: list[str] = []
    replay_size: int = Field(16, ge=0)
    rehearsal_size: int = Field(0, ge=0)
    # How many safe-behaviour targets (gates.suites.BEHAVIOUR_TARGETS: refusals of harmful
    # requests, "I am an AI assistant", plain truths) every candidate trains on beside the new
    # knowledge (0: none).
    behaviour_targets: int = Field(0, ge=0, le=64)

    # Self-chosen hyperparameters (seal/headers.py): self-edit prompts invite a header
    # choosing the learning rate and epochs within these bounds; off: every self-edit trains with
    # the defaults above.
    selfedit_header: bool = True
    selfedit_lr_min: float = Field(1e-4, gt=0)
    selfedit_lr_max: float = Field(3e-3, gt=0)
    selfedit_epochs_min: int = Field(1, ge=1)
    selfedit_epochs_max: int = Field(10, ge=1)

    # The outer loop (seal/outer_loop.py, ReST-EM): C contexts per round (some held out to
    # compare the new policy with the current one), K self-edits sampled per context, the best kept
    # when its reward beats the baseline by more than outer_min_reward, and the policy LoRA
    # fine-tuned on the kept (prompt, self-edit) pairs with these hyperparameters.
    outer_contexts: int = Field(12, ge=1, le=400)
    outer_k: int = Field(3, ge=1, le=16)
    outer_heldout: int = Field(4, ge=1, le=100)
    outer_eval_k: int = Field(2, ge=1, le=16)
    outer_min_reward: float = 0.0
    outer_learning_rate: float = Field(3e-4, gt=0)
    outer_epochs: int = Field(3, ge=1)
    outer_min_steps: int = Field(8, ge=0)
    outer_max_seq_len: int = Field(768, ge=64)
    # A new policy must beat the current one's mean held-out reward by more than this to be offered;
    # then it waits for an admin unless outer_auto_promote.
    outer_min_improvement: float = 0.0
    outer_auto_promote: bool = False
    # The global policy round's default contexts, shipped with the service (seal/data/squad/).
    squad_train_path: Path = REPO_ROOT / "seal" / "data" / "squad" / "train.json"

    # Celery.
    task_queue: str = "training"
    worker_concurrency: int = 1
    # Redis and RabbitMQ-style brokers give an unacknowledged task to another worker after this
    # long; far above any job's length, since the run's lease (below) is what detects a dead
    # worker, and a task delivered twice finds the lease held and does nothing.
    broker_visibility_timeout_s: int = Field(24 * 3600, ge=60)

    # Leases and heartbeats (workers/leases.py): a worker renews the lease of the run it works on
    # and records itself every heartbeat; a run whose lease ran out (its worker was killed) is
    # queued again, at most run_max_attempts starts in all, then failed with worker_lost.
    worker_heartbeat_s: float = Field(10.0, gt=0)
    worker_lease_s: float = Field(60.0, gt=0)
    run_max_attempts: int = Field(2, ge=1)

    # Logs and metrics (docs/observability.md). log_format: one JSON object a line, or text; None
    # leaves logging to the host process (tests, a bare uvicorn); the launcher defaults its
    # children and itself to json. Exception messages can quote a document (a database error
    # shows its parameters), so log lines carry an exception's type and frames only, unless
    # log_exception_messages (a ServiceError's message is safe to show and always logged).
    log_format: Literal["json", "text"] | None = None
    log_level: str = "INFO"
    log_exception_messages: bool = False
    # A worker that runs where the API cannot read its metrics files (another container) serves
    # its own /metrics on this port for Prometheus to scrape (None: it does not).
    worker_metrics_port: int | None = Field(None, ge=1, le=65535)
    worker_metrics_host: str = "127.0.0.1"

    @property
    def resolved_vllm_urls(self) -> list[str]:
        """Every vLLM replica's base URL (empty: no serving)."""
        if self.vllm_urls:
            return [u.rstrip("/") for u in self.vllm_urls]
        if not self.vllm_url:
            return []
        first = urlsplit(self.vllm_url.rstrip("/"))
        port = first.port or 80
        return [
            first._replace(netloc=f"{first.hostname}:{port + i}").geturl()
            for i in range(self.vllm_replicas)
        ]

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'seal.db'}"

    @property
    def resolved_broker_url(self) -> str:
        return self.broker_url or f"sqla+sqlite:///{self.data_dir / 'broker.db'}"

    @property
    def resolved_artifact_dir(self) -> Path:
        return self.artifact_dir or self.data_dir / "adapters"


@lru_cache
def get_settings() -> Settings:
    return Settings()
