"""Screenshots of the admin console for docs/console.md.

Seeds a demo database (``api.console.demo.seed_demo``) in a temporary directory, serves the app on a
loopback port, logs in with headless Chromium (Debian's ``/usr/bin/chromium`` through Playwright;
nothing is downloaded) and saves a PNG of each main page into ``docs/console/``.

    ~/.cache/seal-service/venv/bin/python scripts/console_screenshots.py [--out docs/console]
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ADMIN_KEY = "demo-admin-key-for-screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "console")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="seal-console-shots-"))
    # Before any project import: the settings (and the Celery app) read these once.
    os.environ.update(SEAL_DATA_DIR=str(work), SEAL_ADMIN_KEY=ADMIN_KEY, SEAL_VLLM_URL="")

    import uvicorn
    from playwright.sync_api import sync_playwright
    from sqlmodel import Session, SQLModel

    import adapter_store.models  # noqa: F401
    from api.console.demo import seed_demo
    from api.deps import get_session
    from api.main import create_app
    from core.db import make_engine

    engine = make_engine(f"sqlite:///{work / 'console.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as s:
        ids = seed_demo(s)
    app = create_app()

    def session():  # type: ignore[no-untyped-def]
        with Session(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = session
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)

    args.out.mkdir(parents=True, exist_ok=True)
    acme = ids["tenants"]["acme"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            base_url=f"http://127.0.0.1:{port}", viewport={"width": 1280, "height": 860}
        )
        page = context.new_page()

        def shot(name: str, full: bool = True) -> None:
            path = args.out / f"{name}.png"
            page.screenshot(path=str(path), full_page=full)
            print(path.relative_to(ROOT))

        page.goto("/console/login")
        shot("login", full=False)
        page.fill("#key", ADMIN_KEY)
        page.click("button[type=submit]")
        page.wait_for_url("**/console/review")
        page.hover(f"#document-{ids['quarantined_document']} mark.g-instructions >> nth=0")
        shot("review")
        page.goto("/console/tenants")
        page.fill("#name", "wayne-enterprises")
        page.click("form.create button[type=submit]")
        page.wait_for_selector("#new-key")
        shot("tenant-created")
        page.goto("/console/tenants")
        shot("tenants")
        page.goto(f"/console/adapters/{acme}")
        shot("adapters")
        page.goto("/console/jobs")
        page.wait_for_timeout(1500)  # the live stream connected
        shot("jobs")
        page.goto(f"/console/jobs/{ids['running_job']}")
        shot("job")
        page.goto("/console/rounds")
        shot("rounds")
        page.goto("/console/audit")
        shot("audit")
        browser.close()
    server.should_exit = True
    thread.join(10)


if __name__ == "__main__":
    main()
