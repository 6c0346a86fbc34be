"""Screenshots of the review page for the docs, at desktop and phone width, taken from a real server
with the sample articles indexed: ``python -m tests.review_screenshots docs/images``."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests import browser
from tests.servers import Server

CLAIM = "Russia began its airstrikes in support of Assad's forces in December."  # the article says September


def _shoot(base: str, out: Path, phone: bool) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser.chromium(1280, 1400)
    try:
        if phone:
            browser.as_phone(driver, 360, 1400)
        driver.get(f"{base}/review")
        driver.find_element(By.ID, "claim").send_keys(CLAIM)
        driver.find_element(By.ID, "check-button").click()
        WebDriverWait(driver, 120).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#evidence mark"))
        driver.save_screenshot(str(out))
    finally:
        driver.quit()


def main(directory: str) -> None:
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        samples = {"FACTCHECK_INDEX_SAMPLES": "1"}  # the sample articles, as ./dev run
        server = Server(f"sqlite:///{work}/shots.db", Path(work) / "server.log", env=samples).wait_ready()
        try:
            _shoot(server.base, out / "review-desktop.png", phone=False)
            _shoot(server.base, out / "review-phone.png", phone=True)
        finally:
            server.terminate()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/images")
