"""What several test modules need: the machine's Chromium and the Nu HTML Checker."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
# A phone a reader holds, with Persian as its language, and the screen an
# editor or moderator works at.
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "fa-IR"}
DESK = {"viewport": {"width": 1280, "height": 900}}

VNU_JAR = Path(
    os.environ.get(
        "VNU_JAR",
        Path(settings.BASE_DIR) / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar",
    )
)
needs_vnu = pytest.mark.skipif(
    not VNU_JAR.exists() or shutil.which("java") is None,
    reason="the Nu HTML Checker needs java and vnu.jar (`make vnu` installs it)",
)


def html_errors(paths) -> list[str]:
    """The Nu HTML Checker's errors for these files, as «file:line: message»."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]


def watched_context(browser, **options):
    """A browser context in Persian that lists in `policy_violations` what the CSP blocked."""
    context = browser.new_context(**{"locale": "fa-IR", **options})
    context.policy_violations = []
    context.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and context.policy_violations.append(message.text)
        ),
    )
    return context


def close_quietly(context):
    """Close a browser context once its pages have stopped loading.

    A request the page's script started (the comment form, fetched on
    scrolling) may still be running in the live server when the test ends;
    the database is emptied right after, and SQLite then reports its table
    as locked. Waiting for the network to go quiet first avoids that.
    """
    for page in context.pages:
        try:
            page.wait_for_load_state("networkidle", timeout=5000)
        except Exception:  # noqa: BLE001 (a page that never settles is closed all the same)
            pass
    context.close()
