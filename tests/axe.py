"""axe-core, the engine behind the browser accessibility checkers, run in the test browser.

axe-core comes from npm, pinned in tests/package.json and package-lock.json: ``npm ci --prefix
tests`` (the README's test command and CI do it). Missing, it is a test failure naming that
command, not a skip. :func:`violations` runs every rule axe runs by default (WCAG 2.0-2.2 A and
AA and best practices) plus ``target-size`` (WCAG 2.2's 24 x 24 px, off by default).
"""

from __future__ import annotations

from pathlib import Path

from selenium import webdriver

AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
#: Impacts that fail a test.
FAILING = ("critical", "serious")
RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {rules: {'target-size': {enabled: true}}})
  .then(result => done(result.violations))
  .catch(error => done('axe failed: ' + error));
"""


def axe_source() -> str:
    if not AXE_JS.exists():
        raise RuntimeError(f"axe-core is missing ({AXE_JS}): run `npm ci --prefix tests`")
    return AXE_JS.read_text()


def violations(driver: webdriver.Chrome, source: str) -> list[str]:
    """The critical and serious violations on the page shown, one line each: rule, impact,
    count and the first elements (empty when the page passes)."""
    if not driver.execute_script("return typeof axe !== 'undefined'"):
        driver.execute_script(source)
    driver.set_script_timeout(60)
    found = driver.execute_async_script(RUN)
    if isinstance(found, str):
        raise RuntimeError(found)
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']} - "
            + "; ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in found if v["impact"] in FAILING]
