"""axe-core, the accessibility rules engine, run in the browser tests' pages.

The script is the npm package pinned in package-lock.json, installed by `make test` (`npm ci`
into node_modules/, tests only)."""

from functools import cache
from pathlib import Path

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@cache
def axe_source() -> str:
    if not AXE_PATH.is_file():
        raise RuntimeError(
            f"{AXE_PATH} is missing: run `make test` (or `make axe`), which installs axe-core"
            " from package-lock.json with `npm ci`."
        )
    return AXE_PATH.read_text()


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2 A and AA rules and best practices) on the page as it is shown."""
    page.wait_for_load_state()
    # Evaluated by the driver, not added as an inline <script>: the page's CSP would block it.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    # preload: false: axe would fetch the page's stylesheets and insert them again as inline
    # <style> elements (for its css-orientation-lock rule only), which the CSP rightly blocks and
    # the CSP watch would report. No stylesheet of ours locks the orientation.
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'], preload: false})"
    )
    return result["violations"]


def readable(url: str, violations: list[dict]) -> str:
    lines = [f"{url}: {len(violations)} axe-core violation(s)"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


def assert_no_violation(page):
    violations = axe_violations(page)
    assert violations == [], readable(page.url, violations)
