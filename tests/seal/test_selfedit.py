import pytest

from seal.selfedit import (
    QA,
    chunk_document,
    cloze_probes,
    grounded,
    parse_lines,
    parse_qa,
    selfedit_prompt,
    training_examples,
)

DOC = (
    "Zorblax is a planet in the Kessel system. Its capital city is Quendril, founded in 2091. "
    "The planet has three moons named Ari, Bex and Cor."
)


def test_parse_lines_strips_bullets_and_short_or_repeated_lines():
    out = "1. Zorblax is a planet in Kessel.\n- Zorblax is a planet in Kessel.\n* ok\n\u2022 Quendril is the capital of Zorblax."
    assert parse_lines(out) == [
        "Zorblax is a planet in Kessel.",
        "Quendril is the capital of Zorblax.",
    ]


def test_parse_qa_pairs_and_drops_unanswered_questions():
    out = "Q: What is the capital?\nA: Quendril\nQ: Dangling?\nQuestion 2: How many moons?\nAnswer 2: three"
    assert parse_qa(out) == [QA("What is the capital?", "Quendril"), QA("How many moons?", "three")]


def test_grounded_keeps_answers_stated_in_the_document():
    pairs = [QA("capital?", "Quendril"), QA("founder?", "Napoleon")]
    assert grounded(pairs, DOC) == [QA("capital?", "Quendril")]


def test_training_examples_include_document_and_cap_selfedits():
    out = "\n".join(f"Fact number {i} about Zorblax here." for i in range(30))
    examples = training_examples("Zorblax", DOC, "implications", out, max_selfedit=5)
    assert examples[0].prompt is None and examples[0].completion.startswith("Zorblax\n")
    assert len(examples) == 1 + 5


def test_qa_selfedits_become_chat_examples():
    examples = training_examples(None, DOC, "qa", "Q: Capital of Zorblax?\nA: Quendril")
    assert examples[-1].prompt == "Capital of Zorblax?" and examples[-1].completion == "Quendril"


def test_chunk_document_cuts_at_sentences():
    chunks = chunk_document(None, DOC, max_chars=60)
    assert len(chunks) == 3 and all(c.endswith(".") for c in chunks)


def test_cloze_probes_answer_is_sentence_end():
    probes = cloze_probes("Zorblax", DOC, 5)
    assert probes[0].answer == "founded in 2091" or probes[0].answer.endswith("Kessel system")
    assert all(p.answer in DOC for p in probes)


def test_unknown_style_is_named():
    with pytest.raises(ValueError, match="unknown self-edit style 'poem'"):
        selfedit_prompt("poem", None, DOC)
