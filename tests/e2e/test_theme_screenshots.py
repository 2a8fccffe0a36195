"""Two demo unions' home pages in a real browser: one layout, each union's own colour, logo and banner.

The screenshots are put side by side into one PNG under $TEST_ARTIFACTS_DIR (default test-artifacts/), for a person
to look at; the test itself compares what the browser computed."""

import io
import os
from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.e2e

SITES = ("vinh-phuc", "dak-lak")


def _look(page, port: int, slug: str) -> dict:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"http://{slug}.localhost:{port}/")
    page.wait_for_load_state("load")
    banner = page.locator(".site-banner img")
    banner.wait_for()
    return {
        "masthead": page.eval_on_selector(".masthead", "e => getComputedStyle(e).backgroundColor"),
        "logo": page.get_attribute(".brand-logo", "src"),
        "banner": banner.evaluate("e => e.currentSrc"),
        "banner_loaded": banner.evaluate("e => e.complete && e.naturalWidth > 0"),
        "banner_alt": banner.get_attribute("alt"),
        "shot": page.screenshot(full_page=False),
    }


def test_vinh_phuc_and_dak_lak_look_like_themselves(live_server, page):
    _base, port = live_server
    looks = {slug: _look(page, port, slug) for slug in SITES}
    vp, dl = looks["vinh-phuc"], looks["dak-lak"]
    assert vp["masthead"] != dl["masthead"]
    assert vp["masthead"] == "rgb(29, 79, 145)" and dl["masthead"] == "rgb(139, 44, 18)"  # the demo's accents
    assert vp["logo"] != dl["logo"] and vp["logo"].startswith("/media/") and dl["logo"].startswith("/media/")
    assert vp["banner"] != dl["banner"] and vp["banner_loaded"] and dl["banner_loaded"]
    assert vp["banner_alt"] and dl["banner_alt"]

    shots = [Image.open(io.BytesIO(looks[slug]["shot"])).convert("RGB") for slug in SITES]
    gap = 16
    width, height = sum(s.width for s in shots) + gap, max(s.height for s in shots)
    combined = Image.new("RGB", (width, height), (255, 255, 255))
    combined.paste(shots[0], (0, 0))
    combined.paste(shots[1], (shots[0].width + gap, 0))
    folder = Path(os.environ.get("TEST_ARTIFACTS_DIR", "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "sites-side-by-side.png"
    combined.save(target)
    assert target.stat().st_size > 10_000
