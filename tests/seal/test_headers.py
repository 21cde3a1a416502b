"""Self-edit headers: parsing, clamping, and how a header sets the training config."""

import dataclasses

import pytest

from seal.headers import (
    ABSENT,
    CLAMPED,
    MALFORMED,
    VALID,
    HyperparamBounds,
    apply_header,
    parse_header,
)

BOUNDS = HyperparamBounds(lr_min=1e-4, lr_max=3e-3, epochs_min=1, epochs_max=10)


@pytest.mark.parametrize(
    ("text", "status", "lr", "epochs"),
    [
        ("Training: lr=0.0005 epochs=3\nParis is in France.", VALID, 5e-4, 3),
        ("  \nsettings: learning_rate = 2e-3, epochs: 4\nA fact.", VALID, 2e-3, 4),
        ("Training: lr=0.5 epochs=30\nA fact.", CLAMPED, 3e-3, 10),
        ("Training: lr=0.00001 epochs=0\nA fact.", CLAMPED, 1e-4, 1),
        ("Training: lr=fast epochs=3\nA fact.", MALFORMED, None, None),
        ("Training: epochs=3\nA fact.", MALFORMED, None, None),
        ("Training: lr=0.001 epochs=2.5\nA fact.", MALFORMED, None, None),
        ("Paris is the capital of France.\nlr=0.001 epochs=2", ABSENT, None, None),
        ("", ABSENT, None, None),
    ],
)
def test_header_parsing(text, status, lr, epochs):
    header = parse_header(text, BOUNDS)
    assert header.status == status
    assert header.learning_rate == (pytest.approx(lr) if lr else None)
    assert header.epochs == epochs
    if status != ABSENT:
        assert header.header is not None and header.header not in header.body
    else:
        assert header.body == text


def test_header_sets_the_training_config_and_defaults_stay_otherwise(train_config):
    default = dataclasses.replace(train_config, learning_rate=1e-3, epochs=5, min_steps=20)
    chosen = apply_header(default, parse_header("Training: lr=0.0002 epochs=10\nx", BOUNDS))
    assert (chosen.learning_rate, chosen.epochs, chosen.min_steps) == (2e-4, 10, 40)
    assert apply_header(default, parse_header("Training: lr=? epochs=?\nx", BOUNDS)) == default
    assert apply_header(default, parse_header("No header here at all.", BOUNDS)) == default
