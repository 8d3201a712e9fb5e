"""Driving the explorer from a headless browser: the browser tests and the docs' screenshots.

Uses Debian's ``chromium`` and ``chromium-driver`` (``make browser-deps`` installs them) through
Selenium, with both paths given so that Selenium never looks for, or downloads, a driver.
Bokeh renders its widgets inside shadow roots; the helpers below search through them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

from ..errors import ValidationError

__all__ = ["CHROMIUM", "CHROMEDRIVER", "free_port", "serving", "chromium", "wait_for_source",
           "source", "slider_handle", "slider_title", "click_tab"]

#: Debian's browser and driver (override with IONZOO_CHROMIUM / IONZOO_CHROMEDRIVER).
CHROMIUM = os.environ.get("IONZOO_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("IONZOO_CHROMEDRIVER", "/usr/bin/chromedriver")

# every shadow root of the page (and the document), searched in order
_ROOTS = """
function roots(root, out) { out.push(root);
  root.querySelectorAll('*').forEach(e => { if (e.shadowRoot) roots(e.shadowRoot, out); });
  return out; }
"""


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(model: str = "hh1952", port: int | None = None,
            timeout: float = 120.0) -> Iterator[str]:
    """``ionzoo explore MODEL`` in a subprocess for the duration of the block; yields its URL."""
    port = port or free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ionzoo", "explore", model, "--port",
                             str(port), "--no-browser"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    url = f"http://localhost:{port}/explore"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                text = proc.stdout.read() if proc.stdout else ""
                raise RuntimeError(f"the explorer exited: {text}")
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the explorer did not answer at {url}") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def chromium(width: int = 1400, height: int = 1000):
    """A headless Chromium WebDriver (Debian's browser and driver; nothing is downloaded)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.exists(path) or shutil.which(path)):
            raise ValidationError("browser", f"{path} is missing: run `make browser-deps` "
                                  "(Debian's chromium and chromium-driver)")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager: never fetch anything
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}"):
        opts.add_argument(arg)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


def source(driver, name: str) -> dict[str, Any] | None:
    """The data of the page's ``ColumnDataSource`` called ``name`` (None before it exists)."""
    return driver.execute_script(
        "const d = window.Bokeh && Bokeh.documents[0];"
        "const m = d && d.get_model_by_name(arguments[0]);"
        "if (!m) return null; const out = {};"
        "for (const [k, v] of (m.data instanceof Map ? m.data.entries() : Object.entries(m.data)))"
        "  out[k] = Array.from(v, x => (typeof x === 'object' && x !== null ? Array.from(x) : x));"
        "return out;", name)


def wait_for_source(driver, name: str, changed_from: Any = None, key: str | None = None,
                    timeout: float = 60.0) -> dict[str, Any]:
    """Wait until source ``name`` has data (and, with ``changed_from``, until its column ``key``
    differs from that value); return the data."""
    deadline = time.monotonic() + timeout
    while True:
        data = source(driver, name)
        if data and any(len(v) for v in data.values()):
            if changed_from is None or data.get(key or "") != changed_from:
                return data
        if time.monotonic() > deadline:
            raise TimeoutError(f"source {name!r} did not update within {timeout:g} s")
        time.sleep(0.2)


def slider_handle(driver, title: str):
    """The draggable handle of the slider whose title starts with ``title``."""
    handle = driver.execute_script(_ROOTS + """
        for (const r of roots(document, [])) {
          const t = r.querySelector('.bk-slider-title');
          if (t && t.textContent.startsWith(arguments[0])) return r.querySelector('.noUi-handle');
        }
        return null;""", title)
    if handle is None:
        raise LookupError(f"no slider titled {title!r}")
    return handle


def slider_title(driver, title: str) -> str:
    """The displayed title of that slider, with its value (``amplitude (µA/cm²): 11``)."""
    return driver.execute_script(_ROOTS + """
        for (const r of roots(document, [])) {
          const t = r.querySelector('.bk-slider-title');
          if (t && t.textContent.startsWith(arguments[0])) return t.textContent;
        }
        return null;""", title)


def click_tab(driver, label: str) -> None:
    """Click the tab header ``label``."""
    tab = driver.execute_script(_ROOTS + """
        for (const r of roots(document, [])) {
          for (const t of r.querySelectorAll('.bk-tab'))
            if (t.textContent.trim() === arguments[0]) return t;
        }
        return null;""", label)
    if tab is None:
        raise LookupError(f"no tab {label!r}")
    tab.click()
