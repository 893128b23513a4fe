"""axe-core, the engine behind the browser accessibility checkers, run in the test browser.

axe-core is fetched once from the npm registry at a pinned version and checked against its
published SHA-512 (:data:`AXE_VERSION`, :data:`AXE_SHA512`), then kept in ``tests/.axe/`` (no
npm needed). If it cannot be fetched the tests fail with the reason, they are not skipped.
:func:`violations` runs every rule axe runs by default (WCAG 2.0-2.2 A and AA and best
practices) plus ``target-size`` (WCAG 2.2's 24 x 24 px, off by default).
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

from selenium import webdriver

AXE_VERSION = "4.14.1"
#: The registry's ``integrity`` of that version's tarball.
AXE_SHA512 = ("FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37Ogu"
              "dVGtQ==")
AXE_URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz"
AXE_JS = Path(__file__).parent / ".axe" / f"axe-{AXE_VERSION}.min.js"
#: Impacts that fail a test.
FAILING = ("critical", "serious")
RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {rules: {'target-size': {enabled: true}}})
  .then(result => done(result.violations))
  .catch(error => done('axe failed: ' + error));
"""


def _download() -> bytes:
    """axe.min.js out of the pinned, checksum-verified tarball."""
    try:
        with urllib.request.urlopen(AXE_URL, timeout=60) as answer:
            tarball = answer.read()
    except OSError as exc:
        raise RuntimeError(f"cannot fetch axe-core {AXE_VERSION} from {AXE_URL}: {exc}") from exc
    digest = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if digest != AXE_SHA512:
        raise RuntimeError(f"{AXE_URL} does not match the pinned SHA-512")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile("package/axe.min.js")
        if member is None:
            raise RuntimeError(f"{AXE_URL} holds no package/axe.min.js")
        return member.read()


def axe_source() -> str:
    if not AXE_JS.exists():
        AXE_JS.parent.mkdir(exist_ok=True)
        temporary = AXE_JS.with_suffix(".part")
        temporary.write_bytes(_download())
        temporary.replace(AXE_JS)
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
