"""The review page (/review) in a real browser against the real server: a journalist types a claim,
gives the API key the service asks for, and reads the first cited sentence highlighted in its
article."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests import browser
from tests.servers import Server

pytestmark = pytest.mark.skipif(browser.missing() is not None, reason=f"review page test: {browser.missing()}")

KEY = "review-page-test-key-0123456789"
CLAIM = "The first group of Russian aircraft has left the Hmeimim air base in Syria."
WAIT_S = 120


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work: Path = tmp_path_factory.mktemp("review")
    env = {"FACTCHECK_API_KEYS": KEY, "FACTCHECK_INDEX_SAMPLES": "1"}  # the sample articles, as ./dev run
    running = Server(f"sqlite:///{work / 'server.db'}", work / "server.log", env=env).wait_ready()
    yield running.base
    assert running.terminate() == 0


@pytest.fixture
def driver():
    window = browser.chromium()
    yield window
    window.quit()


def _wait(driver, condition):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_S).until(condition)


def _check_by_keyboard(driver, claim: str) -> None:
    """Type the claim, then Tab to the check button and press Enter: no mouse."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.ID, "claim")
    box.click()
    box.send_keys(claim)
    for _ in range(10):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        if driver.switch_to.active_element.get_attribute("id") == "check-button":
            break
    assert driver.switch_to.active_element.get_attribute("id") == "check-button"
    driver.switch_to.active_element.send_keys(Keys.ENTER)


def _give_key(driver) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _wait(driver, lambda d: d.find_element(By.ID, "key-section").is_displayed())
    field = driver.find_element(By.ID, "api-key")
    field.send_keys(KEY)
    field.send_keys(Keys.ENTER)


def _verdict(driver) -> str:
    from selenium.webdriver.common.by import By

    _wait(
        driver,
        lambda d: d.find_element(By.ID, "result").is_displayed() and d.find_elements(By.CSS_SELECTOR, "#evidence mark"),
    )
    return driver.find_element(By.CSS_SELECTOR, "#verdict .verdict").text.lower()


def test_a_claim_checked_on_the_page_highlights_its_first_citation_in_the_article(server, driver):
    from selenium.webdriver.common.by import By

    driver.get(f"{server}/review")
    assert KEY not in driver.page_source
    _check_by_keyboard(driver, CLAIM)
    _give_key(driver)  # keys are configured: the page asks, then sends the check again
    verdict = _verdict(driver)
    expected = requests.post(
        f"{server}/v1/checks", json={"claim": CLAIM, "store": False}, headers={"X-API-Key": KEY}, timeout=120
    ).json()
    assert verdict == expected["verdict"] == "support"
    marks = driver.find_elements(By.CSS_SELECTOR, "#evidence mark")
    assert marks[0].text == expected["evidence"][0]["text"]
    paragraph = driver.find_element(By.CSS_SELECTOR, "#evidence-0 .paragraph").text
    assert expected["evidence"][0]["text"] in paragraph  # shown inside its paragraph
    assert driver.execute_script("return sessionStorage.getItem('factcheck-api-key')") == KEY
    assert driver.execute_script("return window.localStorage.length") == 0
    assert KEY not in driver.execute_script("return document.documentElement.outerHTML")

    driver.find_element(By.ID, "recent-button").click()  # the check just made is stored and listed
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#recent-list button"))
    recent = driver.find_element(By.CSS_SELECTOR, "#recent-list button")
    assert recent.text == CLAIM
    driver.execute_script("document.getElementById('evidence').replaceChildren()")
    recent.click()  # opens the stored record: its result again, from GET /v1/checks/{id}
    assert _verdict(driver) == verdict
    assert driver.find_elements(By.CSS_SELECTOR, "#evidence mark")[0].text == expected["evidence"][0]["text"]


def test_every_form_control_is_labelled_and_a_phone_needs_no_sideways_scrolling(server, driver):
    from selenium.webdriver.common.by import By

    browser.as_phone(driver)
    driver.get(f"{server}/review")
    controls = driver.find_elements(By.CSS_SELECTOR, "input, textarea, select")
    assert controls
    for control in controls:
        assert driver.find_elements(By.CSS_SELECTOR, f"label[for='{control.get_attribute('id')}']")
    _check_by_keyboard(driver, CLAIM)
    _give_key(driver)
    _verdict(driver)
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 360


def test_the_page_itself_needs_no_key_and_holds_none(server):
    page = requests.get(f"{server}/review", timeout=30)
    script = requests.get(f"{server}/review/review.js", timeout=30)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert script.status_code == 200 and "X-API-Key" in script.text and KEY not in page.text + script.text
    assert requests.get(f"{server}/v1/checks", timeout=30).status_code == 401  # while the API needs one
