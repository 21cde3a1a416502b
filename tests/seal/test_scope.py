"""Scoped adapters: calibration on crafted scores, routing on crafted embeddings, the scope file,
and the real embedding model telling a taught topic from a general question."""

import numpy as np
import pytest

from core.settings import get_settings
from seal.scope import Scope, calibrate, get_embedder, max_similarity, scope_texts


def unit(*rows):
    m = np.array(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_calibration_lets_through_at_most_the_general_rate_and_reports_what_it_routes():
    general = np.array([0.1, 0.2, 0.3, 0.35, 0.9] + [0.05] * 15, dtype=np.float32)  # 20 prompts
    taught = np.array([0.5, 0.6, 0.95, 0.2], dtype=np.float32)
    threshold, report = calibrate(taught, general, 0.05)  # one of 20 may pass: the 0.9
    assert 0.35 < threshold <= 0.3501
    assert report["general_routed"] == pytest.approx(0.05)
    assert report["taught_routed"] == pytest.approx(0.75)  # the 0.2 stays with the base model
    strict, _ = calibrate(taught, general, 0.0)
    assert strict > 0.9 and (taught >= strict).sum() == 1
    with pytest.raises(ValueError):
        calibrate(taught, np.array([], dtype=np.float32), 0.05)


def test_routing_decides_by_the_best_similarity_to_the_index(tmp_path):
    scope = Scope(unit([1, 0, 0], [0, 1, 0]), threshold=0.8)
    queries = unit([0.9, 0.1, 0], [0, 0.2, 1], [0.1, 1, 0.1])
    assert scope.routes(queries) == [True, False, True]
    assert max_similarity(scope.index, queries).shape == (3,)
    scope.save(tmp_path)
    back = Scope.load(tmp_path)
    assert back.threshold == pytest.approx(0.8) and back.routes(queries) == [True, False, True]
    assert Scope.load(tmp_path / "nowhere") is None  # a version from before scoping


def test_scope_texts_are_titled_sentences_and_self_edit_lines():
    texts = scope_texts(
        [("Zorblax", "Quendril is the capital. It has three moons.")],
        ["Quendril is large.\nok\n- Zorblax has three moons"],
    )
    assert texts == [
        "Zorblax",
        "Zorblax: Quendril is the capital.",
        "Zorblax: It has three moons.",
        "Quendril is large.",
        "- Zorblax has three moons",
    ]


def test_the_embedding_model_tells_a_taught_topic_from_a_general_question():
    embedder = get_embedder(str(get_settings().embedding_model_path))
    index = embedder.embed(
        scope_texts([("Zorblax", "The capital of the planet Zorblax is Quendril.")], [])
    )
    vectors = embedder.embed(
        ["What is the capital of Zorblax?", "How many legs does a spider have?"]
    )
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    taught, general = max_similarity(index, vectors)
    assert taught > 0.6 > general
