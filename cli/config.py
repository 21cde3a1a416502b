"""Where the CLI finds the service and its keys: the environment first, then a small TOML file.

The file (``$SEAL_CONFIG``, else ``$XDG_CONFIG_HOME/seal/config.toml``, else
``~/.config/seal/config.toml``) holds top-level keys only, no profiles::

    url = "http://127.0.0.1:8000"
    api_key = "sk-seal-..."
    admin_key = "..."
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_URL = "http://127.0.0.1:8000"  # where `make run` starts the API
# Config-file key -> environment variable that overrides it.
ENV = {"url": "SEAL_URL", "api_key": "SEAL_API_KEY", "admin_key": "SEAL_ADMIN_KEY"}


class ConfigError(Exception):
    """The configuration cannot be used as it is; the message says how to fix it."""


@dataclass(frozen=True)
class Config:
    url: str
    api_key: str | None
    admin_key: str | None
    path: Path  # the config file looked at (it may not exist): error messages point to it

    def tenant_key(self) -> str:
        return self._key(self.api_key, "tenant key", "api_key")

    def admin(self) -> str:
        return self._key(self.admin_key, "admin key", "admin_key")

    def _key(self, value: str | None, what: str, field: str) -> str:
        if not value:
            raise ConfigError(f"no {what}: set {ENV[field]} or `{field}` in {self.path}")
        return value


def config_path() -> Path:
    if explicit := os.environ.get("SEAL_CONFIG"):
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "seal" / "config.toml"


def _read_file(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}  # the file is optional: the environment may say everything
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    problems = [
        f"unknown key `{k}` (expected one of {', '.join(ENV)})" for k in data if k not in ENV
    ]
    problems += [
        f"`{k}` must be a string; got {type(v).__name__}"
        for k, v in data.items()
        if k in ENV and not isinstance(v, str)
    ]
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    return data


def load_config() -> Config:
    """The environment wins over the file, so a one-off `SEAL_URL=... seal jobs` just works."""
    path = config_path()
    values = _read_file(path)
    for field, var in ENV.items():
        if os.environ.get(var):
            values[field] = os.environ[var]
    url = values.get("url") or DEFAULT_URL
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"the service URL must start with http:// or https://; got {url!r}")
    return Config(
        url=url.rstrip("/"),
        api_key=values.get("api_key"),
        admin_key=values.get("admin_key"),
        path=path,
    )
