"""`drafter serve` in a real browser: Debian's chromium and chromium-driver driven through selenium, against the
server started as a user starts it (a new process on a free port, with a profile folder of its own). The page is
used as a clerk uses it — pick the sector, drop a section, add one with a paragraph, move an activity, download —
and the downloaded files are opened and read. Chromium is started headless, sandbox-free and offline (no component
updates, no sync); selenium is pointed at /usr/bin/chromedriver, so Selenium Manager never downloads anything.

Without chromium or chromedriver the module is skipped, except under CI (the environment variable CI set, as
.ci/run does): there it fails, since CI must run it. DRAFTER_SCREENSHOT=<path> also saves the main test's picture
of the filled form there (docs/serve.png is made so)."""

import base64
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import UPSTREAM

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
IN_CI = bool(os.environ.get("CI"))

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    why = (f"{CHROMIUM} or {CHROMEDRIVER} is missing (Debian: apt-get install chromium chromium-driver)")
    if IN_CI:
        pytest.fail(f"CI must run the browser tests, but {why}", pytrace=False)
    pytest.skip(why, allow_module_level=True)
try:
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    if IN_CI:
        pytest.fail("CI must run the browser tests, but selenium is not installed (pip install '.[test]')",
                    pytrace=False)
    pytest.skip("selenium is not installed (pip install '.[test]')", allow_module_level=True)

SECTOR = "街道"
DROPPED = "工作要求"
ADDED_TITLE = "加强值班值守"
ADDED_TEXT = "各社区要严格落实节假日和汛期值班制度，遇有突发情况及时报告。"
NUMERALS = "一二三四五六七八九十"
LEVEL1 = re.compile(rf"^[{NUMERALS}]+、(.+)$")
LEVEL2 = re.compile(rf"^（[{NUMERALS}]+）(.+)$")
WAIT = 20  # seconds: generous bounds, never timings under test


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, home: Path, log: Path):
        self.url, self.home, self.log = url, home, log

    def api(self, path: str, body: dict) -> dict:
        """A JSON call of the API, as the page makes it (same origin: no Origin header needed)."""
        request = urllib.request.Request(self.url + path.lstrip("/"), data=json.dumps(body).encode("utf-8"),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return json.load(response)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`drafter serve --no-browser --port <free port>` with DRAFTER_HOME of its own; stopped at the end, whatever
    happened."""
    home = tmp_path_factory.mktemp("serve-home")
    log = home.parent / "serve.log"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DRAFTER_PARENTS_DIR"}
    env["DRAFTER_HOME"] = str(home)
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "drafter", "serve", "--no-browser", "--port", str(port)],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + WAIT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"drafter serve exited ({proc.returncode}): {log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"drafter serve did not answer GET / within {WAIT} s: {log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield Server(url, home, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture
def downloads(tmp_path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


@pytest.fixture
def browser(server, tmp_path, downloads):
    """A fresh headless chromium (its own profile folder in tmp_path) downloading into ``downloads``. The office
    profile a previous test's download remembered is removed first, so that each test starts from the defaults."""
    (server.home / "profile.yaml").unlink(missing_ok=True)
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1800", f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(arg)
    options.binary_location = str(CHROMIUM)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        yield driver
    finally:
        driver.quit()


# ---- helpers -------------------------------------------------------------------------------------------------

def wait(driver, condition, what, seconds: float = WAIT):
    """Wait until ``condition()`` is true; ``what()`` (called only then) says what was awaited and what the page
    shows. A list re-rendered while it is read (a stale element) is read again."""
    try:
        return WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda d: condition())
    except TimeoutException:
        pytest.fail(f"waited {seconds} s for {what() if callable(what) else what}", pytrace=False)


def status(driver) -> str:
    return driver.find_element(By.ID, "status").text


def ready(driver) -> str:
    """Wait until the page has validated the answers and says they can be drafted; returns the status line."""
    wait(driver, lambda: status(driver).startswith("可以生成"),
         lambda: f"#status to say 可以生成 (it says “{status(driver)}”; problems: {problems(driver)})")
    return status(driver)


def problems(driver) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".field-problem")]


def outline_titles(driver) -> list[str]:
    inputs = driver.find_elements(By.CSS_SELECTOR, "#outline li.entry input.section-title")
    return [e.get_attribute("value") for e in inputs]


def activity_rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#activities li.entry")


def activity_ids(driver) -> list[str]:
    return [row.get_attribute("data-activity") for row in activity_rows(driver)]


def activity_titles(driver) -> list[str]:
    return [row.find_element(By.CSS_SELECTOR, "span.title").text for row in activity_rows(driver)]


def typed(element, text: str) -> None:
    """Replace a field's text as a user does (select all, type): each key sends an input event. (element.clear()
    sends none, so the page would not see the change.)"""
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.BACKSPACE)
    if text:
        element.send_keys(text)


OFFICE = {"issuer.name": "江城市青山区滨江街道办事处", "issuer.code": "青滨街办", "number": "9",
          "contact.name": "周红", "contact.phone": "0591-87001234", "printer": "江城市青山区滨江街道党政综合办公室"}


def open_page(driver, server) -> None:
    """The page opened with no office remembered: its fields are empty (the example office only as hints) and the
    page says what is missing; the clerk types the office."""
    driver.get(server.url)
    wait(driver, lambda: any("issuer（发文机关） → name" in p for p in problems(driver)),
         lambda: f"the office's name asked for (problems: {problems(driver)})")
    for key, value in OFFICE.items():
        field = driver.find_element(By.CSS_SELECTOR, f'input[data-key="{key}"]')
        assert field.get_attribute("value") == "" and "示例" in field.get_attribute("placeholder"), key
        typed(field, value)
    ready(driver)


def pick_sector(driver, server, sector: str) -> dict:
    """Pick the sector in the page and wait until the page shows that sector's defaults (the same /api/start the
    page calls tells which they are); returns those answers."""
    expected = server.api("/api/start", {"sector": sector})["answers"]
    assert expected["issuer"]["sector"] == sector
    select = driver.find_element(By.CSS_SELECTOR, 'select[data-key="issuer.sector"]')
    assert select.get_attribute("value") != sector, "the page should start from another sector"
    Select(select).select_by_value(sector)
    ids = [a for a in expected["activities"] if isinstance(a, str)]
    wait(driver, lambda: activity_ids(driver) == ids and len(outline_titles(driver)) == len(expected["outline"]),
         lambda: f"the {sector} activities {ids} and outline {expected['outline']} (the page shows "
         f"{activity_ids(driver)}, {outline_titles(driver)})")
    ready(driver)
    assert driver.find_element(By.CSS_SELECTOR, 'select[data-key="issuer.sector"]').get_attribute("value") == sector
    return expected


def downloaded(folder: Path, suffix: str) -> Path:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        done = sorted(folder.glob(f"*{suffix}"))
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.2)
    there = sorted(p.name for p in folder.iterdir())
    pytest.fail(f"no {suffix} arrived in the download folder within {WAIT} s (it holds {there})")


def severe(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def screenshot(driver, path: Path) -> None:
    """The top of the filled form, 1400 px wide, down to the end of the chosen activities (at most 3400 px): the
    header, the 生成 panel with its status, the fields, the outline and the activities."""
    driver.execute_script("window.scrollTo(0, 0)")
    bottom = driver.execute_script(
        "const r = document.getElementById('activities').getBoundingClientRect();"
        "return Math.ceil(r.bottom + window.scrollY + 12);")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": min(bottom, 3400), "scale": 1}})
    path.write_bytes(base64.b64decode(shot["data"]))


def body_headings(docx_path: Path):
    """The texts of the notice's level-1 (一、) and level-2 (（一）) headings, and all its non-empty paragraphs."""
    import docx

    paragraphs = [p.text.strip() for p in docx.Document(str(docx_path)).paragraphs if p.text.strip()]
    level1 = [m.group(1) for m in map(LEVEL1.match, paragraphs) if m]
    level2 = [m.group(1) for m in map(LEVEL2.match, paragraphs) if m]
    return level1, level2, paragraphs


# ---- the tests -----------------------------------------------------------------------------------------------

def test_draft_in_the_browser(server, browser, downloads, tmp_path):
    driver = browser
    open_page(driver, server)
    pick_sector(driver, server, SECTOR)
    before = outline_titles(driver)
    assert DROPPED in before, before

    # Drop 工作要求.
    row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "#outline li.entry")
               if r.find_element(By.CSS_SELECTOR, "input.section-title").get_attribute("value") == DROPPED)
    row.find_element(By.CSS_SELECTOR, "button.drop").click()
    wait(driver, lambda: DROPPED not in outline_titles(driver), f"{DROPPED} to leave the outline")

    # Add a section of one's own with a paragraph.
    pick = Select(driver.find_element(By.ID, "outline-add-pick"))
    assert pick.first_selected_option.text == "自己写的一节"
    driver.find_element(By.ID, "outline-add-title").send_keys(ADDED_TITLE)
    driver.find_element(By.ID, "outline-add-text").send_keys(ADDED_TEXT)
    driver.find_element(By.ID, "outline-add").click()
    expected_outline = [t for t in before if t and t != DROPPED] + [ADDED_TITLE]
    wait(driver, lambda: [t for t in outline_titles(driver) if t] == expected_outline,
         lambda: f"the outline {expected_outline} (the page shows {outline_titles(driver)})")

    # Move the second activity up.
    ids, titles = activity_ids(driver), activity_titles(driver)
    assert len(ids) >= 2 and ids[1] != ids[0], ids
    activity_rows(driver)[1].find_element(By.CSS_SELECTOR, "button.up").click()
    moved_ids = [ids[1], ids[0], *ids[2:]]
    wait(driver, lambda: activity_ids(driver) == moved_ids, lambda: f"the activities {moved_ids} (the page shows "
         f"{activity_ids(driver)})")
    moved_titles = [titles[1], titles[0], *titles[2:]]
    assert activity_titles(driver) == moved_titles

    ready(driver)
    assert problems(driver) == []

    # The picture of the filled form, before the download.
    picture = tmp_path / "serve.png"
    screenshot(driver, picture)
    data = picture.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 50_000, len(data)
    if os.environ.get("DRAFTER_SCREENSHOT"):
        Path(os.environ["DRAFTER_SCREENSHOT"]).write_bytes(data)

    driver.find_element(By.ID, "download-docx").click()
    notice = downloaded(downloads, ".docx")
    wait(driver, lambda: status(driver).startswith("已下载"), "#status to say 已下载")

    level1, level2, paragraphs = body_headings(notice)
    assert level1 == expected_outline
    assert DROPPED not in level1
    heading = paragraphs.index(next(p for p in paragraphs if LEVEL1.match(p) and p.endswith(ADDED_TITLE)))
    assert paragraphs[heading + 1] == ADDED_TEXT
    # The activities' headings in the page's new order: the moved one before the one it passed.
    assert [t for t in level2 if t in moved_titles] == moved_titles
    assert level2.index(titles[1]) < level2.index(titles[0])

    # Drafting the .docx remembers the office for the next time (as the page says).
    profile = server.home / "profile.yaml"
    assert profile.exists() and SECTOR in profile.read_text(encoding="utf-8")
    assert severe(driver) == []


def problem_beside(driver, key: str):
    """The (first) problem shown, once it appears: beside the field ``key`` (right after the label holding the
    input), while the page does not say the notice can be drafted."""
    wait(driver, lambda: problems(driver), f"a problem beside {key}")
    note = driver.find_element(By.CSS_SELECTOR, ".field-problem")
    label = note.find_element(By.XPATH, "preceding-sibling::*[1]")
    assert label.find_elements(By.CSS_SELECTOR, f'input[data-key="{key}"]'), label.get_attribute("outerHTML")
    assert not status(driver).startswith("可以生成")
    return note


def test_an_emptied_theme_is_a_problem_beside_it_until_typed_back(server, browser):
    driver = browser
    open_page(driver, server)
    theme = driver.find_element(By.CSS_SELECTOR, 'input[data-key="theme"]')
    old = theme.get_attribute("value")
    assert old
    typed(theme, "")
    note = problem_beside(driver, "theme")
    assert "theme" in note.text and "主题" in note.text, note.text
    assert theme.get_attribute("aria-invalid") == "true"

    theme.send_keys(old)
    ready(driver)
    assert problems(driver) == []
    assert theme.get_attribute("aria-invalid") is None
    assert severe(driver) == []


def test_a_number_with_a_leading_zero_is_a_problem_not_a_silent_12(server, browser):
    driver = browser
    open_page(driver, server)
    number = driver.find_element(By.CSS_SELECTOR, 'input[data-key="number"]')
    typed(number, "012")
    note = problem_beside(driver, "number")
    assert "序号" in note.text and "012" in note.text, note.text
    assert number.get_attribute("value") == "012"  # what was typed stays: not turned into 12
    assert severe(driver) == []


def test_the_check_page_checks_an_uploaded_notice(server, browser, tmp_path):
    driver = browser
    notice = tmp_path / "x.docx"
    env = {**os.environ, "DRAFTER_HOME": str(tmp_path / "cli-home")}
    done = subprocess.run([sys.executable, "-m", "drafter", "new", "--defaults", "-o", str(notice)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    driver.get(server.url + "check")
    driver.find_element(By.CSS_SELECTOR, '#check-form input[type="file"]').send_keys(str(notice))
    driver.find_element(By.CSS_SELECTOR, '#check-form button[type="submit"]').click()
    wait(driver, lambda: driver.find_elements(By.ID, "check-summary") or driver.find_elements(By.ID, "check-error"),
         "the findings of the check")
    assert not driver.find_elements(By.ID, "check-error"), driver.find_element(By.ID, "findings").text
    summary = driver.find_element(By.ID, "check-summary").text
    assert summary.startswith("x.docx："), summary
    assert re.search(r"未发现问题|\d+ 个错误", summary), summary
    assert severe(driver) == []


def test_the_answers_yaml_download_holds_the_picked_sector(server, browser, downloads):
    import yaml

    driver = browser
    open_page(driver, server)
    pick_sector(driver, server, SECTOR)
    shown = activity_ids(driver)
    driver.find_element(By.ID, "download-yaml").click()
    answers = yaml.safe_load(downloaded(downloads, ".yaml").read_text(encoding="utf-8"))
    assert isinstance(answers, dict)
    assert answers["issuer"]["sector"] == SECTOR
    assert answers["activities"] == shown
    assert severe(driver) == []


def test_a_remembered_office_asks_for_the_number_and_none_is_a_choice_of_its_own(server, browser, downloads):
    """With the office remembered (no example 文号), an empty number is a problem beside it, never a notice without
    a 文号; 不编发文字号 is ticked to print none, and unticking asks for the number again."""
    driver = browser
    office = {"issuer": {"name": "江城市青山区应急管理局", "code": "青应急", "sector": "应急"}, "printer": "江城市青山区应急管理局办公室",
              "contact": {"name": "李明", "phone": "0591-22334455"}}
    (server.home / "profile.yaml").write_text(yaml_text(office), encoding="utf-8")
    driver.get(server.url)
    wait(driver, lambda: any("number" in p for p in problems(driver)), lambda: f"a number problem ({problems(driver)})")
    assert driver.find_element(By.CSS_SELECTOR, 'input[data-key="issuer.name"]').get_attribute("value") == office["issuer"]["name"]
    box = driver.find_element(By.ID, "no-number")
    assert not box.is_selected()
    box.click()
    assert not driver.find_element(By.CSS_SELECTOR, 'input[data-key="number"]').is_displayed()
    status_line = ready(driver)
    assert "〔" not in status_line  # no 文号 in the status: 可以生成：<title>
    driver.find_element(By.ID, "download-docx").click()
    _, _, paragraphs = body_headings(downloaded(downloads, ".docx"))
    assert not any(re.fullmatch(r"青应急〔\d{4}〕\d+号", p) for p in paragraphs), paragraphs[:6]
    box.click()  # a number after all
    wait(driver, lambda: any("number" in p for p in problems(driver)), lambda: f"the number asked again ({problems(driver)})")
    typed(driver.find_element(By.CSS_SELECTOR, 'input[data-key="number"]'), "7")
    assert "青应急〔" in ready(driver) and "7号" in status(driver)
    (server.home / "profile.yaml").unlink()
    assert severe(driver) == []


def yaml_text(data: dict) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True)


# ---- answers loaded from a file, dates as written, own tables, a reload, a parent already kept ----------------

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "街道.yaml"
SLOGANS = ["生命至上，安全第一", "安全生产，警钟长鸣"]
OPENING = ["为进一步压实安全生产责任，现就开展江南街道“安全生产月”活动有关事项通知如下："]
FAX = "0591-87654322"
CO_MARK = "青山区应急管理局"


def example_answers(**changes) -> dict:
    """examples/街道.yaml (answers that validate) with ``changes`` over it."""
    import yaml

    answers = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    answers.update(changes)
    return answers


def load_answers(driver, path: Path) -> None:
    """Load an answers file through the page's 载入, as this year's answers (按新的一年沿用 unticked)."""
    driver.find_element(By.ID, "load-file").send_keys(str(path))
    carry = driver.find_element(By.ID, "load-carry")
    if carry.is_selected():
        carry.click()
    driver.find_element(By.ID, "load-button").click()


def field(driver, key: str):
    return driver.find_element(By.CSS_SELECTOR, f'#draft [data-key="{key}"]')


def value(driver, key: str) -> str:
    return field(driver, key).get_attribute("value")


def others(driver) -> dict[str, str]:
    """The 其他答案 card's lines: answer path → the line's text."""
    return {li.get_attribute("data-path"): li.text for li in driver.find_elements(By.CSS_SELECTOR, "#others li")}


def page_answers(driver) -> dict:
    """The answers the page holds (its script's own variable)."""
    return driver.execute_script("return answers")


def test_answers_without_a_field_are_listed_and_can_be_dropped(server, browser, downloads, tmp_path):
    import yaml

    driver = browser
    written = example_answers(attachments=["slogans", "liaison", "stats", "community_patrol_log"], slogans=SLOGANS,
                              opening=OPENING, co_issuers=[{"name": "江城市青山区应急管理局", "mark": CO_MARK}])
    written["contact"]["fax"] = FAX
    path = tmp_path / "去年的答案.yaml"
    path.write_text(yaml_text(written), encoding="utf-8")
    open_page(driver, server)
    assert not driver.find_element(By.ID, "others-box").is_displayed()  # nothing unshown in the page's own answers

    load_answers(driver, path)
    wait(driver, lambda: value(driver, "slogans") == "\n".join(SLOGANS),
         lambda: f"the slogans in their field (it shows “{value(driver, 'slogans')}”)")
    assert value(driver, "opening") == "\n".join(OPENING)
    assert field(driver, "joint_mark").is_displayed()  # co-issuers: how the red head names them is asked
    wait(driver, lambda: {"contact.fax", "co_issuers.0.mark"} <= others(driver).keys(),
         lambda: f"contact.fax and co_issuers.0.mark listed under 其他答案 (listed: {others(driver)})")
    listed = others(driver)
    assert driver.find_element(By.ID, "others-box").is_displayed()
    assert FAX in listed["contact.fax"] and "fax" in listed["contact.fax"], listed
    assert CO_MARK in listed["co_issuers.0.mark"] and "第1项" in listed["co_issuers.0.mark"], listed
    assert set(listed) == {"contact.fax", "co_issuers.0.mark"}, listed  # what has a field (名称, 标语…) is not listed
    ready(driver)

    driver.find_element(By.CSS_SELECTOR, '#others li[data-path="contact.fax"] button.drop').click()
    wait(driver, lambda: "contact.fax" not in others(driver) and "co_issuers.0.mark" in others(driver),
         lambda: f"contact.fax dropped, the mark still listed ({others(driver)})")
    assert "fax" not in page_answers(driver)["contact"]
    typed(field(driver, "opening"), "")  # emptied: written automatically (null), not an empty list
    wait(driver, lambda: page_answers(driver).get("opening", "missing") is None,
         lambda: f"opening null (it is {page_answers(driver).get('opening', 'missing')!r})")
    ready(driver)

    driver.find_element(By.ID, "download-yaml").click()
    saved = yaml.safe_load(downloaded(downloads, ".yaml").read_text(encoding="utf-8"))
    assert "fax" not in saved["contact"] and saved["contact"]["name"] == written["contact"]["name"]
    assert saved["co_issuers"] == [{"name": "江城市青山区应急管理局", "mark": CO_MARK}]
    assert saved["slogans"] == SLOGANS and "opening" not in saved
    assert severe(driver) == []


def test_a_date_not_written_as_iso_is_shown_as_written_beside_its_problem(server, browser, tmp_path):
    driver = browser
    path = tmp_path / "答案.yaml"
    path.write_text(yaml_text(example_answers(date="2025年2月30日")), encoding="utf-8")
    open_page(driver, server)
    load_answers(driver, path)
    def date():  # found anew each time: its type changes
        return field(driver, "date")

    wait(driver, lambda: date().get_attribute("value") == "2025年2月30日",
         lambda: f"the date as written in its field (it shows “{date().get_attribute('value')}”)")
    assert date().get_attribute("type") == "text"
    wait(driver, lambda: beside(driver, "date"), lambda: f"a problem beside the date (problems: {problems(driver)})")
    assert "成文日期" in beside(driver, "date")[0]

    date().send_keys(Keys.CONTROL, "a")
    date().send_keys("2025-05-28")  # the text typed over: a date again
    wait(driver, lambda: date().get_attribute("type") == "date" and date().get_attribute("value") == "2025-05-28",
         lambda: f"a date input holding 2025-05-28 ({date().get_attribute('type')}: {date().get_attribute('value')})")
    ready(driver)
    assert not beside(driver, "date")
    assert severe(driver) == []


def beside(driver, key: str) -> list[str]:
    """The problems shown right after the label holding the field ``key``."""
    return [note.text for note in driver.find_elements(By.CSS_SELECTOR, ".field-problem")
            if note.find_element(By.XPATH, "preceding-sibling::*[1]").find_elements(
                By.CSS_SELECTOR, f'[data-key="{key}"]')]


def attachment_titles(driver) -> list[str]:
    return [e.get_attribute("value") for e in driver.find_elements(By.CSS_SELECTOR, "#attachments input.attachment-title")]


def test_an_own_table_is_added_from_a_fresh_form_and_renamed_in_place(server, browser, downloads):
    import zipfile

    driver = browser
    title, renamed = "滨江街道隐患排查登记表", "滨江街道安全隐患排查登记表"
    open_page(driver, server)
    driver.find_element(By.XPATH, "//summary[contains(., '自己做一张表格')]").click()
    driver.find_element(By.ID, "table-title").send_keys(title)
    driver.find_element(By.ID, "table-columns").send_keys("单位名称、排查时间、发现隐患、整改情况")
    typed(driver.find_element(By.ID, "table-rows"), "5")
    driver.find_element(By.ID, "table-numbered").click()
    driver.find_element(By.ID, "table-add").click()
    wait(driver, lambda: title in attachment_titles(driver), lambda: f"{title} among {attachment_titles(driver)}")
    assert page_answers(driver)["attachments"][-1] == {"kind": "table", "title": title, "numbered": False, "blank_rows": 5,
                                                       "columns": ["单位名称", "排查时间", "发现隐患", "整改情况"]}
    # the form is ready for another table
    assert [driver.find_element(By.ID, i).get_attribute("value") for i in ("table-title", "table-columns", "table-rows")] == ["", "", "8"]
    assert driver.find_element(By.ID, "table-numbered").is_selected()

    own = driver.find_element(By.CSS_SELECTOR, '#attachments li[data-attachment="own"] input.attachment-title')
    typed(own, renamed)
    wait(driver, lambda: page_answers(driver)["attachments"][-1]["title"] == renamed, f"the table renamed {renamed}")

    # a built-in attachment under a title of the clerk's is {use, title}; under the catalogue's again, its id
    first = driver.find_element(By.CSS_SELECTOR, "#attachments li.entry")
    builtin, usual = first.get_attribute("data-attachment"), first.find_element(By.CSS_SELECTOR, "input").get_attribute("value")
    assert builtin != "own" and page_answers(driver)["attachments"][0] == builtin
    typed(first.find_element(By.CSS_SELECTOR, "input"), usual + "汇编")
    wait(driver, lambda: page_answers(driver)["attachments"][0] == {"use": builtin, "title": usual + "汇编"},
         lambda: f"{{use: {builtin}, title: …汇编}} (it is {page_answers(driver)['attachments'][0]})")
    typed(driver.find_element(By.CSS_SELECTOR, "#attachments li.entry input"), usual)
    wait(driver, lambda: page_answers(driver)["attachments"][0] == builtin,
         lambda: f"{builtin} again (it is {page_answers(driver)['attachments'][0]})")
    ready(driver)

    driver.find_element(By.ID, "download-docx").click()
    with zipfile.ZipFile(downloaded(downloads, ".docx")) as docx:
        text = re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode("utf-8"))
    assert renamed in text and title not in text
    assert severe(driver) == []


def test_a_reload_keeps_the_answers_being_written(server, browser):
    driver = browser
    open_page(driver, server)
    old = value(driver, "theme")
    new = "安全第一、预防为主——滨江街道的主题"
    typed(field(driver, "theme"), new)
    assert not driver.find_element(By.ID, "restored").is_displayed()

    driver.refresh()
    wait(driver, lambda: driver.find_element(By.ID, "restored").is_displayed(), "the note 已恢复刚才未完成的答案")
    assert "已恢复刚才未完成的答案" in driver.find_element(By.ID, "restored").text
    assert value(driver, "theme") == new
    assert value(driver, "issuer.name") == OFFICE["issuer.name"]  # the office typed is kept too

    driver.find_element(By.ID, "start-over").click()  # the server's fresh start again
    wait(driver, lambda: value(driver, "theme") == old and not driver.find_element(By.ID, "restored").is_displayed(),
         lambda: f"the theme {old} again (it is {value(driver, 'theme')})")
    assert value(driver, "issuer.name") == ""
    assert severe(driver) == []


UPSTREAM_NUMBER = "青安办〔2025〕21号"  # conftest.UPSTREAM's


def cited(driver) -> list[str]:
    return [li.get_attribute("data-doc-number") for li in driver.find_elements(By.CSS_SELECTOR, "#parents-chosen li")]


def test_a_parent_already_in_the_registry_is_replaced_from_the_page(server, browser, tmp_path):
    driver = browser
    upload = tmp_path / "收到的通知.txt"
    upload.write_text(UPSTREAM, encoding="utf-8")
    kept = server.home / "parents" / f"{UPSTREAM_NUMBER}.yaml"
    open_page(driver, server)
    try:
        driver.find_element(By.CSS_SELECTOR, "#parent-upload summary").click()
        driver.find_element(By.ID, "parent-file").send_keys(str(upload))
        driver.find_element(By.ID, "parent-read").click()
        wait(driver, lambda: driver.find_elements(By.ID, "parent-save"), "the upload read")
        def result() -> str:
            return driver.find_element(By.ID, "parent-save-result").text

        driver.find_element(By.ID, "parent-save").click()
        wait(driver, lambda: "已存入" in result() and UPSTREAM_NUMBER in cited(driver),
             lambda: f"saved and cited ({result()}; cited {cited(driver)})")
        assert kept.exists()

        driver.find_element(By.ID, "parent-save").click()  # the same again: the registry has it
        wait(driver, lambda: driver.find_elements(By.ID, "parent-replace"), lambda: f"替换库中的这份 offered ({result()})")
        assert "已有" in result() and "--force" not in result(), result()
        replace = driver.find_element(By.ID, "parent-replace")
        assert replace.text == "替换库中的这份"
        replace.click()
        wait(driver, lambda: "已存入" in result(), lambda: f"replaced ({result()})")
        wait(driver, lambda: cited(driver).count(UPSTREAM_NUMBER) == 1, lambda: f"cited once ({cited(driver)})")

        # A server of before the 409 said so with 422 and the terminal's advice: the page offers the button all the same.
        driver.execute_script(f"""const real = window.fetch;
            window.fetch = (url, options) => url === "/api/parents" ? Promise.resolve(new Response(JSON.stringify(
              {{message: "上级来文库中已有 {UPSTREAM_NUMBER}（parents/x.yaml）；要替换请加 --force", problems: []}}),
              {{status: 422, headers: {{"Content-Type": "application/json"}}}})) : real(url, options);""")
        driver.find_element(By.ID, "parent-save").click()
        wait(driver, lambda: driver.find_elements(By.ID, "parent-replace"), lambda: f"替换库中的这份 offered ({result()})")
        assert "已有" in result() and "--force" not in result(), result()
        driver.find_element(By.ID, "parent-replace").click()
        wait(driver, lambda: "已存入" in result(), lambda: f"replaced ({result()})")
        ready(driver)
        conflict = "/api/parents - Failed to load resource: the server responded with a status of 409"
        assert [e for e in severe(driver) if conflict not in e["message"]] == []  # the 409 answered, as meant
    finally:
        kept.unlink(missing_ok=True)  # the module's other tests start from the built-in registry


def test_a_section_of_the_same_title_is_not_offered_twice_and_previews_are_said_to_be_so(server, browser):
    """应急 has a 活动时间 section of its own in its outline: the built-in 活动时间 is not offered beside it. Before the
    office is typed, the activities' texts are written for the sector's example office, and the page says so."""
    driver = browser
    driver.get(server.url)
    wait(driver, lambda: "示例机关" in driver.find_element(By.ID, "activity-preview").text,
         "the page to say the activities' texts are written for the example office")
    texts = driver.execute_script("return JSON.stringify(catalogue.activities.map(a => a.text))")
    assert "{{" not in texts and "}}" not in texts
    open_page(driver, server)
    expected = pick_sector(driver, server, "应急")
    assert driver.find_element(By.ID, "activity-preview").text == ""  # the office typed: the page's own answers
    assert "activity_period" in expected["outline"]
    offered = [o.text for o in Select(driver.find_element(By.ID, "outline-add-pick")).options]
    assert not [t for t in offered if t.startswith("活动时间")], offered
    assert any(t.startswith("活动主题") for t in offered), offered  # the others still are


def test_the_preview_shows_the_pages_in_the_page_itself(server, browser):
    """页面预览: the PDF LibreOffice printed is shown in the page's own frame (a frame of this server's may be; one of
    another site's may not)."""
    from conftest import need_libreoffice

    need_libreoffice()
    driver = browser
    open_page(driver, server)
    driver.find_element(By.ID, "preview").click()
    frame = driver.find_element(By.ID, "preview-frame")
    wait(driver, lambda: frame.is_displayed() and "/preview/" in (frame.get_attribute("src") or ""),
         "the preview frame to be given the PDF", seconds=120)
    driver.switch_to.frame(frame)
    try:
        wait(driver, lambda: driver.execute_script("return location.href").endswith(".pdf"),
             lambda: f"the frame to show the PDF (it shows {driver.execute_script('return location.href')})")
    finally:
        driver.switch_to.default_content()
    assert [e for e in severe(driver) if "frame" in e.get("message", "")] == []


def test_a_file_that_cannot_be_loaded_is_said_so_and_a_no_is_shown_unticked(server, browser, tmp_path):
    """A refused answers file: said in the load card (the page keeps its answers, and says so), not as a problem
    beside a field that seems fine. A file with `sealed: no` and a problem elsewhere: 加盖印章 is shown unticked, as
    the notice would be drafted."""
    import yaml

    driver = browser
    open_page(driver, server)
    theme = value(driver, "theme")
    broken = tmp_path / "坏的.yaml"
    broken.write_text("year: 2025\nissuer:\n\tname: 某某局\n", encoding="utf-8")
    load_answers(driver, broken)
    said = driver.find_element(By.ID, "load-result")
    wait(driver, lambda: said.text.startswith("未载入 坏的.yaml"), lambda: f"the load card to say so ({said.text})")
    assert "制表符" in said.text and "仍是原来的答案" in said.text
    assert value(driver, "theme") == theme

    unsealed = tmp_path / "不盖章.yaml"
    unsealed.write_text(yaml.safe_dump(example_answers(sealed="no", number="012"), allow_unicode=True),
                        encoding="utf-8")
    load_answers(driver, unsealed)
    wait(driver, lambda: said.text.startswith("已载入 不盖章.yaml"), lambda: f"the load card to say so ({said.text})")
    wait(driver, lambda: any("012" in p for p in problems(driver)), "the 012 problem")
    assert not field(driver, "sealed").is_selected()
    label = field(driver, "printer").find_element(By.XPATH, "..").text
    assert "空着：发文机关全称加“办公室”" in label


def test_a_missing_contact_is_asked_for_beside_the_contact_fields(server, browser):
    driver = browser
    driver.get(server.url)
    box = driver.find_element(By.ID, "contact-fields")
    wait(driver, lambda: "contact（联系人）" in box.text, lambda: f"the contact asked for beside it ({box.text})")
