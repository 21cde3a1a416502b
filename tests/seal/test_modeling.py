import dataclasses

import torch

from seal.modeling import answer_questions, encode_example, load_base, train_lora
from seal.selfedit import Example


def test_completion_only_masking(tiny_model_dir):
    _, tok = load_base(str(tiny_model_dir))
    ids, labels = encode_example(tok, Example("What is the capital?", "Quendril"), 256)
    n_masked = sum(1 for x in labels if x == -100)
    assert len(ids) == len(labels) and n_masked > 0
    completion = tok.decode(
        [t for t, lab in zip(ids, labels, strict=True) if lab != -100], skip_special_tokens=True
    )
    assert completion.strip() == "Quendril"
    ids, labels = encode_example(tok, Example(None, "Plain text trains on every token."), 256)
    assert ids == labels


def test_training_lowers_loss_and_leaves_base_untouched(tiny_model_dir, train_config):
    base, tok = load_base(str(tiny_model_dir))
    before = {k: v.clone() for k, v in base.state_dict().items()}
    examples = [
        Example(None, "Zorblax's capital is Quendril."),
        Example("Capital of Zorblax?", "Quendril"),
    ]
    config = dataclasses.replace(
        train_config, learning_rate=5e-3, epochs=8, min_steps=0, batch_size=2
    )
    result = train_lora(base, tok, examples, config)
    assert result.losses[-1] < result.losses[0]
    assert result.steps == 8
    after = base.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_answer_questions_is_greedy_and_deterministic(tiny_model_dir):
    base, tok = load_base(str(tiny_model_dir))
    a = answer_questions(base, tok, ["Capital of Zorblax?", "Moons?"], max_new_tokens=5)
    b = answer_questions(base, tok, ["Capital of Zorblax?", "Moons?"], max_new_tokens=5)
    assert a == b and len(a) == 2


def test_short_data_gets_at_least_min_steps(tiny_model_dir, train_config):
    base, tok = load_base(str(tiny_model_dir))
    result = train_lora(
        base,
        tok,
        [Example(None, "One short fact.")],
        dataclasses.replace(train_config, epochs=2, min_steps=7, batch_size=4),
    )
    assert result.steps == 7 and len(result.losses) == 7


def test_pinned_examples_are_trained_at_every_step_beside_the_batches(
    tiny_model_dir, train_config, monkeypatch
):
    """The document (pinned) is in every step, one chunk per step in turn; the self-edit lines
    fill the batches beside it, so they add to the document instead of diluting it."""
    import seal.modeling

    base, tok = load_base(str(tiny_model_dir))
    doc = [Example(None, "Quendril is the capital of Zorblax."), Example(None, "It has moons.")]
    lines = [Example(None, f"Self-edit line number {i}.") for i in range(8)]
    seen: list[list[str]] = []
    real_pad = seal.modeling.pad_batch

    def recording(chunk, pad_id):  # type: ignore[no-untyped-def]
        seen.append([tok.decode(ids, skip_special_tokens=True) for ids, _ in chunk])
        return real_pad(chunk, pad_id)

    monkeypatch.setattr(seal.modeling, "pad_batch", recording)
    config = dataclasses.replace(train_config, epochs=1, min_steps=6, batch_size=4)
    result = train_lora(base, tok, lines, config, pinned=doc)
    assert result.steps == 6  # 2 batches of lines per epoch, min_steps 6: three passes
    pinned_calls = [b[0] for b in seen if len(b) == 1]
    batches = [b for b in seen if len(b) > 1]
    assert pinned_calls == [d.completion for d in doc] * 3  # every step, in turn
    assert len(batches) == 6 and all(len(b) == 4 for b in batches)
    # Only pinned data: as many steps as min_steps, still one chunk per step.
    seen.clear()
    only = train_lora(base, tok, [], config, pinned=doc[:1])
    assert only.steps == 6 and seen == [[doc[0].completion]] * 6


def test_a_write_error_inside_safetensors_is_raised_as_the_oserror_it_was(
    tiny_model_dir, train_config, tmp_path
):
    """safetensors' Rust writer reports a failed write as SafetensorError; save_adapter gives
    callers the OSError (here a real one: the process's file-size limit, EFBIG)."""
    import errno
    import resource
    import signal

    import pytest

    from seal.modeling import save_adapter

    base, tok = load_base(str(tiny_model_dir))
    config = dataclasses.replace(train_config, epochs=1, min_steps=1, batch_size=1)
    model = train_lora(base, tok, [Example(None, "One fact.")], config).model
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, hard))
    try:
        with pytest.raises(OSError) as caught:
            save_adapter(model, tmp_path / "adapter")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    assert caught.value.errno == errno.EFBIG
    save_adapter(model, tmp_path / "adapter")  # the limit gone, the same save works
    assert (tmp_path / "adapter" / "adapter_model.safetensors").is_file()
