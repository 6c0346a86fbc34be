"""A headless Chromium driven by Selenium, for the review page's tests and screenshots. Uses the
system browser (Debian's ``chromium`` and ``chromium-driver``): nothing is downloaded."""

from __future__ import annotations

import shutil

BROWSER_PATHS = ("chromium", "chromium-browser", "google-chrome")
DRIVER_PATHS = ("chromedriver",)


def missing() -> str | None:
    """Why no browser can be driven here (None: one can)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (the 'test' extra)"
    if not any(shutil.which(name) for name in BROWSER_PATHS):
        return "no Chromium on PATH (apt install chromium chromium-driver)"
    if not any(shutil.which(name) for name in DRIVER_PATHS):
        return "no chromedriver on PATH (apt install chromium-driver)"
    return None


def chromium(width: int = 1280, height: int = 900):
    """A headless Chromium window of ``width`` x ``height`` CSS pixels."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = next(p for name in BROWSER_PATHS if (p := shutil.which(name)))
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.add_argument(f"--window-size={width},{height}")
    driver_path = next(p for name in DRIVER_PATHS if (p := shutil.which(name)))
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


def as_phone(driver, width: int = 360, height: int = 740) -> None:
    """Lay the page out as a phone of ``width`` CSS pixels would."""
    metrics = {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
