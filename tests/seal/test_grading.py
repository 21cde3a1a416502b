import pytest

from seal.grading import contains_answer, exact_match, normalize_answer, score, token_f1


@pytest.mark.parametrize(
    ("text", "expected"),
    [("The Eiffel Tower!", "eiffel tower"), ("  a  cat,  AN apple ", "cat apple"), ("", "")],
)
def test_normalize(text, expected):
    assert normalize_answer(text) == expected


@pytest.mark.parametrize(
    ("pred", "gold", "em", "f1"),
    [
        ("Paris", "paris", 1.0, 1.0),
        ("the city of Paris", "Paris", 0.0, 0.5),
        ("London", "Paris", 0.0, 0.0),
        ("stem cells", "stem cells retrieved", 0.0, 0.8),
    ],
)
def test_em_f1(pred, gold, em, f1):
    assert exact_match(pred, gold) == em
    assert token_f1(pred, gold) == pytest.approx(f1)


def test_contains_matches_whole_words_only():
    assert contains_answer("It was founded in 1978 by them.", "1978") == 1.0
    assert contains_answer("It was founded in 19789.", "1978") == 0.0


def test_score_aggregates_and_checks_lengths():
    s = score(["Paris", "x"], ["Paris", "Rome"])
    assert (s.em, s.f1, s.n) == (0.5, 0.5, 2)
    with pytest.raises(ValueError, match="2 predictions for 1"):
        score(["a", "b"], ["a"])
