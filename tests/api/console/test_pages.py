"""Every console page renders for an admin, escapes what tenants wrote, and carries the security
headers; errors are pages, never JSON or a stack trace."""

from __future__ import annotations

from sqlmodel import Session

from api.console.demo import finding, quarantine
from api.console.routes import SECURITY_HEADERS

from .test_auth import PAGES


def test_every_page_renders_for_an_admin(console, demo):
    # One database for every page: seeding it is most of a test's time.
    for page in [*PAGES, "/console/audit?action=tenant.&since=2020-01-01"]:
        resp = console.get(page)
        assert resp.status_code == 200, (page, resp.text)
        assert resp.headers["content-type"].startswith("text/html"), page
        for name, value in SECURITY_HEADERS.items():
            assert resp.headers[name] == value, (page, name)
        assert resp.headers["cache-control"] == "no-store", page
        assert "test-admin-key" not in resp.text, page


def test_console_root_goes_to_the_review_queue(console):
    for path in ("/console", "/console/"):
        resp = console.get(path, follow_redirects=False)
        assert resp.headers["location"] == "/console/review"


def test_pages_show_the_demo_state(console, demo):
    review = console.get("/console/review").text
    assert f'id="document-{demo["quarantined_document"]}"' in review
    assert f'id="version-{demo["awaiting_version"]}"' in review
    # The candidate's gates beside the active version's, and its probe answers.
    assert "Active version t1-v3" in review and "How long is a year on Zorblax?" in review
    assert "before (serving now)" in review and "I don&#39;t know." in review
    lineage = console.get(f"/console/adapters/{demo['tenants']['acme']}").text
    assert 'id="active-alias">t1-v3<' in lineage and "Roll back to v2" in lineage
    rounds = console.get("/console/rounds").text
    assert '<svg id="reward-plot"' in rounds and rounds.count('class="dot series-new"') == 5


def test_hostile_document_text_is_shown_as_text(console, engine):
    from adapter_store.registry import create_tenant

    text = (
        'Hello <script>alert("x")</script> and <img src=x onerror=alert(1)> '
        'and "quotes" & </pre><b>bold</b>'
    )
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "evil")
        findings = [
            finding(text, '<script>alert("x")</script>', "hidden_text", "<kind>", "<i>why</i>"),
            finding(text, "</pre><b>bold</b>", "encoded", "markup", "closes the block"),
        ]
        doc = quarantine(s, tenant.id, text, findings, title="<svg onload=alert(2)>")
    page = console.get("/console/review").text
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>bold", "<i>why", "<kind>"):
        assert raw not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&lt;svg onload=alert(2)&gt;" in page and "&lt;/pre&gt;&lt;b&gt;bold" in page
    job = console.get(f"/console/jobs/{doc.job_id}").text
    assert "<svg onload" not in job and "<i>why" not in job


def test_a_missing_object_is_a_404_page(console):
    resp = console.get("/console/tenants/999")
    assert resp.status_code == 404 and "tenant 999 not found" in resp.text
    assert resp.headers["content-type"].startswith("text/html")
    bad = console.get("/console/jobs?before_id=abc")
    assert bad.status_code == 422 and "before_id" in bad.text


def test_static_files_are_served_and_nothing_else(client):
    css = client.get("/console/static/console.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert client.get("/console/static/console.js").status_code == 200
    for name in ("../main.py", "nope.js", "..%2Fmain.py"):
        assert client.get(f"/console/static/{name}").status_code == 404


def test_pages_use_nothing_from_another_host(console, demo):
    for page in PAGES:
        html = console.get(page).text
        for marker in ("http://", "https://", "//cdn", "<script>", " on", "style="):
            if marker == " on":
                # No inline event handler (the CSP forbids them): onsubmit=, onclick= ...
                assert not any(f" on{e}=" in html for e in ("submit", "click", "load")), page
            else:
                assert marker not in html, (page, marker)


def test_the_console_is_not_in_the_openapi_document(client):
    assert not [p for p in client.app.openapi()["paths"] if p.startswith("/console")]


def test_audit_filters_apply_and_name_what_is_wrong(console, demo):
    only = console.get("/console/audit?action=console.login").text
    assert "console.login" in only and "tenant.created</code>" not in only
    bad = console.get("/console/audit?actor=robot&since=yesterday&tenant_id=x").text
    for problem in ("`actor` must be one of", "`since` must be a date", "`tenant_id` must be"):
        assert problem in bad
