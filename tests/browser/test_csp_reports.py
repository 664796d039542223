"""What the CSP blocks in a real Chromium reaches the report view and the log, without the
page's query string or the blocked code (issue 17, point 5)."""

import logging

import pytest

from tests.browser.conftest import CSP_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_injected_inline_script_is_blocked_reported_and_logged(browser, live_server, caplog):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        page.goto("/compte/connexion/?next=/demandes/&q=Marie+MARTIN")
        # What an injected <script> would do: the CSP refuses to run it.
        page.evaluate(
            """() => { const s = document.createElement("script");
                       s.textContent = "window.injected = 'Marie MARTIN'";
                       document.body.appendChild(s); }"""
        )
        page.wait_for_function("typeof window.injected === 'undefined'")
        for _attempt in range(50):
            if any(r.name == "portal.csp" for r in caplog.records):
                break
            page.wait_for_timeout(100)
    context.close()
    # Provoked on purpose: the fixture that fails tests on violations saw it too.
    seen, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []

    assert any("script-src-elem blocked inline" in v for v in seen)
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.csp"]
    assert len(lines) == 1
    assert lines[0].startswith(
        "CSP violation: directive=script-src-elem blocked=inline "
        f"page={live_server.url}/compte/connexion/ source=- line="
    )
    assert "MARTIN" not in caplog.text
