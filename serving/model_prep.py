"""Convert a GGUF checkpoint into a plain safetensors directory that transformers and vLLM both load.

transformers refuses to ``save_pretrained`` a model loaded from GGUF, so the de-quantised weights are
moved into a fresh model built from the same config and saved from there.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path


def convert_gguf(gguf_path: Path, out_dir: Path) -> Path:
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    src_dir, name = str(gguf_path.parent), gguf_path.name
    tokenizer = AutoTokenizer.from_pretrained(src_dir, gguf_file=name)
    loaded = AutoModelForCausalLM.from_pretrained(src_dir, gguf_file=name, dtype=torch.float32)
    config = AutoConfig.from_pretrained(src_dir, gguf_file=name)
    if hasattr(config, "quantization_config"):
        delattr(config, "quantization_config")
    config.torch_dtype = torch.bfloat16
    fresh = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    fresh.load_state_dict(loaded.state_dict(), strict=False)
    fresh.tie_weights()
    fresh = fresh.to(torch.bfloat16)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # Write next to the target and rename, so an interrupted conversion never looks finished.
    tmp = Path(tempfile.mkdtemp(prefix=".convert-", dir=out_dir.parent))
    try:
        fresh.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)
        if fresh.generation_config is not None:
            fresh.generation_config.save_pretrained(tmp)
        ensure_generation_defaults(tmp)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


# SmolLM2-Instruct's recommended sampling (its model card): vLLM applies a model directory's
# generation_config.json to every request that sets none (its `--generation-config auto`), so a
# plain OpenAI call gets these instead of temperature 1.0, at which the 135M model answers "What
# is the capital of France?" with nonsense.
GENERATION_DEFAULTS = {"do_sample": True, "temperature": 0.2, "top_p": 0.9}


def ensure_generation_defaults(model_dir: Path) -> bool:
    """Write the recommended sampling defaults into the directory's generation_config.json unless
    they are there; returns whether the file changed."""
    path = model_dir / "generation_config.json"
    config = json.loads(path.read_text()) if path.exists() else {}
    if all(config.get(k) == v for k, v in GENERATION_DEFAULTS.items()):
        return False
    config.update(GENERATION_DEFAULTS)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(config, indent=2) + "\n")
    os.replace(tmp, path)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gguf", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--generation-defaults", type=Path, metavar="DIR", help="only add sampling defaults to DIR"
    )
    args = parser.parse_args()
    if args.generation_defaults:
        changed = ensure_generation_defaults(args.generation_defaults)
        print(
            f"generation defaults {'written to' if changed else 'already in'} {args.generation_defaults}"
        )
        return
    if not (args.gguf and args.out):
        parser.error("--gguf and --out are required to convert")
    print(convert_gguf(args.gguf, args.out))


if __name__ == "__main__":
    main()
