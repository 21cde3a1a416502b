"""Every reply carries an X-Request-ID: the caller's when it is a sane id, a fresh one otherwise."""

from __future__ import annotations

import pytest


def test_reply_carries_a_fresh_request_id(client) -> None:  # type: ignore[no-untyped-def]
    a = client.get("/healthz").headers["X-Request-ID"]
    b = client.get("/healthz").headers["X-Request-ID"]
    assert len(a) == 32 and a != b


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("trace-1234abcd", True),
        ("short", False),  # too short to be anyone's id
        ("bad id with spaces", False),
        ("x" * 65, False),
    ],
)
def test_incoming_request_id_kept_only_when_sane(client, sent: str, kept: bool) -> None:  # type: ignore[no-untyped-def]
    got = client.get("/healthz", headers={"X-Request-ID": sent}).headers["X-Request-ID"]
    assert (got == sent) is kept


def test_error_replies_carry_it_too(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/v1/jobs", headers={"X-Request-ID": "trace-err-0001"})
    assert r.status_code == 401
    assert r.headers["X-Request-ID"] == "trace-err-0001"
