"""Shared fixtures. Services (PostgreSQL, Redis) are required when CI=true: a missing one fails the
test instead of skipping it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Settings are read at import time by the Celery app: point everything at a throwaway directory
# before any project module is imported.
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="seal-tests-"))
os.environ.setdefault("SEAL_DATA_DIR", str(_SESSION_DIR))
os.environ["SEAL_ADMIN_KEY"] = "test-admin-key"
os.environ["SEAL_VLLM_URL"] = ""
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import pytest  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from core.db import make_engine  # noqa: E402
from core.settings import Settings, get_settings  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("SEAL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SEAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def require_service(name: str, reachable: bool) -> None:
    if reachable:
        return
    if IN_CI:
        pytest.fail(f"{name} is required when CI=true but is not reachable")
    pytest.skip(f"{name} not reachable (set CI=true to make this a failure)")


def _sqlite_engine(path: Path):  # type: ignore[no-untyped-def]
    import adapter_store.models  # noqa: F401

    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    return engine


@pytest.fixture
def engine(tmp_path):  # type: ignore[no-untyped-def]
    eng = _sqlite_engine(tmp_path / "test.db")
    yield eng
    eng.dispose()


@pytest.fixture
def pg_engine():  # type: ignore[no-untyped-def]
    import adapter_store.models  # noqa: F401

    eng = make_engine(PG_URL)
    try:
        with eng.connect():
            pass
        reachable = True
    except Exception:  # noqa: BLE001
        reachable = False
    require_service("PostgreSQL", reachable)
    SQLModel.metadata.drop_all(eng)
    SQLModel.metadata.create_all(eng)
    yield eng
    SQLModel.metadata.drop_all(eng)
    eng.dispose()


@pytest.fixture
def redis_url() -> str:
    """A reachable Redis database for the test (required when CI=true)."""
    import redis

    try:
        up = bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        up = False
    require_service("Redis", up)
    return REDIS_URL


@pytest.fixture(params=["sqlite", "postgres"])
def any_engine(request, tmp_path):  # type: ignore[no-untyped-def]
    """The store's tests run on both databases."""
    if request.param == "sqlite":
        eng = _sqlite_engine(tmp_path / "test.db")
        yield eng
        eng.dispose()
    else:
        yield request.getfixturevalue("pg_engine")


@pytest.fixture
def session(engine):  # type: ignore[no-untyped-def]
    with Session(engine, expire_on_commit=False) as s:
        yield s


def base_model_path() -> Path:
    return get_settings().base_model_path


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A randomly initialised 2-layer Llama with the real tokenizer: fast, and shaped like the base."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    src = base_model_path()
    assert (src / "tokenizer.json").exists(), f"run scripts/setup.sh first: no tokenizer in {src}"
    out = tmp_path_factory.mktemp("tiny-model")
    tok = AutoTokenizer.from_pretrained(src)
    tok.save_pretrained(out)
    for extra in ("chat_template.jinja",):
        if (src / extra).exists():
            shutil.copy(src / extra, out / extra)
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        tie_word_embeddings=True,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
    )
    LlamaForCausalLM(config).save_pretrained(out, safe_serialization=True)
    return out


@pytest.fixture
def tiny_settings(tmp_path, tiny_model_dir) -> Settings:
    """Settings for running the pipeline on the tiny model, in-process generation, no serving."""
    return Settings(
        data_dir=tmp_path,
        base_model_path=tiny_model_dir,
        generation_backend="local",
        vllm_url=None,
        selfedit_k=2,
        selfedit_max_tokens=48,
        probe_max_tokens=48,
        answer_max_tokens=8,
        epochs=1,
        min_steps=2,
        batch_size=4,
        kl_anchor_size=4,
        rehearsal_size=3,  # off by default; on here so that its wiring is tested
        behaviour_targets=2,
        # A random model answers every probe wrong before and after training, so every reward is
        # 0: below the default bar. Tests of the teach job's mechanics let such candidates through;
        # the default itself is tested on its own (and end to end on the real model).
        min_reward=-1.0,
        admin_key="test-admin-key",
    )


@pytest.fixture
def train_config(tiny_settings):
    """The service's LoRA training config, shortened for the tiny model."""
    from seal.modeling import TrainConfig

    return TrainConfig.from_settings(tiny_settings)


@pytest.fixture
def inner_config(tiny_settings):
    """The service's inner-loop config on the tiny settings (no self-chosen hyperparameters)."""
    import dataclasses

    from seal.inner_loop import InnerLoopConfig

    return dataclasses.replace(InnerLoopConfig.from_settings(tiny_settings), bounds=None)
