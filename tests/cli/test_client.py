"""What the client makes of answers the SEAL API itself does not give: a proxy's error page, some
other web server at SEAL_URL, a rate limit. (Every answer the API gives is tested against the
real app in test_main.py; these stand in for what sits in front of it.)"""

from __future__ import annotations

import httpx
import pytest

from cli.client import ApiError, Client
from cli.exits import Exit


def _client(response: httpx.Response) -> Client:
    return Client("http://seal.test", "k", transport=httpx.MockTransport(lambda _: response))


@pytest.mark.parametrize(
    ("response", "code", "fragment", "exit_code"),
    [
        (
            httpx.Response(502, text="<html>Bad Gateway</html>"),
            "http_502",
            "Bad Gateway",
            Exit.UNAVAILABLE,
        ),
        (
            httpx.Response(200, text="<html>hello</html>"),
            "invalid_response",
            "is http://seal.test the SEAL API?",
            Exit.API_ERROR,
        ),
        (
            httpx.Response(
                429,
                json={"error": {"code": "rate_limited", "message": "too many jobs"}},
                headers={"Retry-After": "60"},
            ),
            "rate_limited",
            "too many jobs (retry after 60 s)",
            Exit.UNAVAILABLE,
        ),
        (httpx.Response(404, json={"detail": "x"}), "http_404", "Not Found", Exit.API_ERROR),
    ],
)
def test_answers_from_outside_the_api_become_clear_errors(response, code, fragment, exit_code):
    with pytest.raises(ApiError) as exc:
        _client(response).get("/v1/jobs")
    assert exc.value.code == code and fragment in exc.value.message
    assert exc.value.exit_code == exit_code
