"""What a query body becomes before it is forwarded to vLLM."""

from __future__ import annotations

import json

import pytest

from api.query_body import parse_query
from core.errors import ServiceError

HI = [{"role": "user", "content": "hi"}]


def _parse(body: dict, chat: bool = True) -> dict:
    return parse_query(json.dumps(body).encode(), chat=chat, max_tokens=512)


def test_a_null_or_absent_cap_is_the_default_cap_never_none():
    assert _parse({"messages": HI, "max_tokens": None})["max_tokens"] == 256
    assert _parse({"messages": HI})["max_tokens"] == 256
    both = _parse({"messages": HI, "max_tokens": 300, "max_completion_tokens": 20})
    assert both["max_tokens"] == 20 and "max_completion_tokens" not in both


def test_only_set_fields_are_forwarded_as_sent():
    body = _parse({"model": "", "messages": HI, "temperature": 0, "stop": ["\n"], "stream": True})
    assert body == {
        "model": "",
        "messages": HI,
        "temperature": 0.0,
        "stop": ["\n"],
        "stream": True,
        "max_tokens": 256,
    }
    parts = [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]
    assert _parse({"messages": parts})["messages"] == parts
    assert _parse({"prompt": "Once"}, chat=False) == {"prompt": "Once", "max_tokens": 256}


@pytest.mark.parametrize(
    "body",
    [
        {"messages": HI, "max_tokens": True},
        {"messages": HI, "temperature": "0.5"},
        {"messages": HI, "seed": 2**70},
        {"messages": HI, "max_completion_tokens": 513},
        {"messages": [{"role": "tool", "content": "x"}]},
        {"messages": HI, "stop": ["a", "b", "c", "d", "e"]},
    ],
)
def test_values_outside_the_model_are_validation_errors(body):
    with pytest.raises(ServiceError) as err:
        _parse(body)
    assert err.value.status_code == 422


def test_infinity_is_not_json_here():
    with pytest.raises(ServiceError) as err:
        parse_query(b'{"prompt": "a", "temperature": Infinity}', chat=False, max_tokens=8)
    assert err.value.code == "invalid_json"
