"""Screenshots of the explorer's tabs for the docs (``make docs``): ``ionzoo explore hh1952``
served locally, opened in headless Chromium, each tab clicked and photographed into
docs/howto/figures/explorer_<tab>.png (each written to a temporary file and renamed)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ionzoo.explore.headless import chromium, click_tab, serving, wait_for_source
from ionzoo.io.atomic import write_bytes_atomic

OUT = Path(__file__).parent / "howto" / "figures"
TABS = {"Spike": ("spike", "v_trace"), "Phase plane": ("phase_plane", "nullcline_v"),
        "I–V": ("iv", "iv"), "Voltage clamp": ("voltage_clamp", "clamp")}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with serving("hh1952") as url:
        driver = chromium(1400, 900)
        try:
            driver.get(url)
            wait_for_source(driver, "v_trace", timeout=120.0)
            for label, (slug, src) in TABS.items():
                click_tab(driver, label)
                wait_for_source(driver, src)
                time.sleep(1.0)  # let the canvas draw
                path = OUT / f"explorer_{slug}.png"
                write_bytes_atomic(path, driver.get_screenshot_as_png())
                print(f"wrote {path}")
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
