"""Where the CLI finds the service and its keys: the environment wins over the file, and a file
that cannot be used says what to fix."""

from __future__ import annotations

import pytest

from cli.config import DEFAULT_URL, ConfigError, config_path, load_config


@pytest.fixture
def env(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    for var in ("SEAL_URL", "SEAL_API_KEY", "SEAL_ADMIN_KEY", "SEAL_CONFIG", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return monkeypatch


def test_defaults_without_file_or_environment(env, tmp_path):
    config = load_config()
    assert config.url == DEFAULT_URL and config.api_key is None
    assert config.path == tmp_path / ".config" / "seal" / "config.toml"
    with pytest.raises(ConfigError, match="no admin key: set SEAL_ADMIN_KEY or `admin_key` in"):
        config.admin()


def test_the_environment_wins_over_the_file(env, tmp_path):
    env.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    path = tmp_path / "xdg" / "seal" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('url = "http://file:1/"\napi_key = "from-file"\nadmin_key = "adm"\n')
    assert config_path() == path
    env.setenv("SEAL_API_KEY", "from-env")
    config = load_config()
    assert (config.url, config.tenant_key(), config.admin()) == ("http://file:1", "from-env", "adm")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('url = "http://x"\nurl = "y"', "cannot read"),
        ("api_key = 5", "`api_key` must be a string; got int"),
        ('apikey = "k"', "unknown key `apikey` (expected one of url, api_key, admin_key)"),
        ('url = "127.0.0.1:8000"', "must start with http:// or https://"),
    ],
)
def test_a_file_that_cannot_be_used_names_the_problem(env, tmp_path, content, fragment):
    path = tmp_path / "seal.toml"
    path.write_text(content)
    env.setenv("SEAL_CONFIG", str(path))
    with pytest.raises(ConfigError) as exc:
        load_config()
    assert fragment in str(exc.value)
