"""The interactive page (growthpole/app.py).

First the adapter SolaraViz needs (sliders -> scenario -> model), without a browser; then the
page itself: ``solara run growthpole/app.py`` on a free local port, opened in Debian's headless
chromium through Playwright with every request off this machine refused (offline), must
render its charts, let each slider be dragged with the mouse (its printed value following),
and after Reset and Step show the GDP the model computes for the dragged values. The server
is always stopped. Without chromium (``make system-deps`` installs it as root) the browser
test skips.
"""

from __future__ import annotations

import importlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from growthpole.levers import LEVERS
from tests.conftest import tiny_scenario

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def app():
    return pytest.importorskip("growthpole.app", reason="solara/mesa visualization missing")


# ---- the adapter ----------------------------------------------------------------------------


@pytest.mark.slow
def test_sliders_are_valid_model_keywords_with_catalogue_ranges(app):
    import inspect

    from mesa.visualization.solara_viz import _check_model_params

    settings = app.default_settings()
    _check_model_params(app.LeverModel.__init__, app.model_params(settings))  # raises if bad
    keywords = set(inspect.signature(app.LeverModel.__init__).parameters)
    specs = app.slider_specs()
    assert set(specs) <= keywords
    for name, (key, _) in app.SLIDERS.items():
        lever = LEVERS[key]
        assert (specs[name]["min"], specs[name]["max"]) == (lever.lower, lever.upper)
        assert specs[name]["value"] == lever.default == settings[name]
        assert specs[name]["unit"] == lever.unit


def test_slider_values_reach_the_scenario_and_defaults_add_nothing(app):
    base = tiny_scenario()
    default = app.LeverModel(scenario=base)
    assert dict(default.scenario.levers) == dict(base.levers)
    model = app.LeverModel(hangzhou_travel_time_cut=0.3, tax_fee_cuts=0.02, scenario=base)
    assert model.scenario.levers["integration.hangzhou_travel_time_cut"] == 0.3
    assert model.scenario.levers["business.tax_fee_cuts"] == 0.02
    assert model.scenario.end_year == base.end_year


def test_page_settings_override_the_keywords_on_reset(app):
    """SolaraViz's Reset calls LeverModel(settings=<the page's reactive dict>): the model
    must take the values the sliders show, not the keyword defaults."""
    import solara

    settings = solara.reactive({**app.default_settings(), "talent_programmes": 0.25})
    model = app.LeverModel(**app.model_params(settings), scenario=tiny_scenario())
    assert model.scenario.levers["innovation.talent_programmes"] == 0.25
    with pytest.raises(ValueError, match="unknown slider"):
        app.LeverModel(settings={"talent": 1.0}, scenario=tiny_scenario())


@pytest.mark.slow
def test_page_runs_at_the_cli_scale_and_gives_the_cli_numbers(app):
    from growthpole.model import GrowthPoleModel
    from growthpole.runner import simulate
    from growthpole.scenario import load_scenario
    from growthpole.seeds import replication_seeds

    # the page's default model is `growthpole run scenarios/baseline.yaml --seed 1`,
    # replication 0, at the command line's scale: its first year, number for number
    baseline = ROOT / "scenarios" / "baseline.yaml"
    page = app.LeverModel()
    assert page.scenario.scale == load_scenario(baseline).scale
    assert page.scenario.levers == load_scenario(baseline).levers
    cli = GrowthPoleModel(str(baseline), seed=1, replication=0)
    page.step()
    cli.step()
    pd.testing.assert_frame_equal(
        page.city_year().reset_index(drop=True), cli.city_year().reset_index(drop=True)
    )
    base = tiny_scenario(end_year=2021)
    model = app.LeverModel(scenario=base, seed=3)
    while model.running:
        model.step()
    # seed s on the page is replication 0 of `growthpole run SCENARIO --seed s`
    expected = simulate(base, replication_seeds(3, 1)[0], replication=0)
    pd.testing.assert_frame_equal(model.city_year(), expected)


def test_lever_model_runs_to_the_end_year_and_stops(app):
    model = app.LeverModel(scenario=tiny_scenario(end_year=2022))
    steps = 0
    while model.running and steps < 10:
        model.step()
        steps += 1
    assert steps == 3 and model.year == 2022
    model.step()  # a further press of Step does nothing
    assert model.year == 2022
    table = model.table()
    assert sorted(table.year.unique()) == [2019, 2020, 2021, 2022]


def test_faster_hangzhou_link_raises_shaoxing_market_access_same_seed(app):
    # comparative static under common random numbers: the only difference is the lever
    base = tiny_scenario(end_year=2023)
    slow = app.LeverModel(scenario=base, seed=3)
    fast = app.LeverModel(scenario=base, seed=3, hangzhou_travel_time_cut=0.6)
    for model in (slow, fast):
        while model.running:
            model.step()
    access = [
        m.city_year().query("region == 'shaoxing' and year == 2023").market_access.iloc[0]
        for m in (slow, fast)
    ]
    assert access[1] > access[0]
    start = [m.city_year().query("year == 2019").gdp.to_numpy() for m in (slow, fast)]
    np.testing.assert_array_equal(start[0], start[1])  # same initial economy


def test_make_app_is_documented_and_serves_the_tested_page():
    """README's one command for the page is `make app`; its recipe (make's dry run) fetches
    Solara's browser bundles into the asset cache first (offline) and then serves the page
    the browser test below opens: `solara run growthpole/app.py` on 127.0.0.1."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert any(line.startswith("make app ") for line in readme.splitlines()), "README"
    venv = Path(sys.prefix)
    # a clean make: under `make test` the outer make's flags would add "Entering directory"
    environment = {
        k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    dry = subprocess.run(
        [make, "--no-print-directory", "-n", "app", f"VENV={venv}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment,
    )
    assert dry.returncode == 0, dry.stderr
    lines = [line.strip() for line in dry.stdout.splitlines() if line.strip()]
    assert lines[-1].split()[:3] == [str(venv / "bin" / "solara"), "run", "growthpole/app.py"]
    assert "--host 127.0.0.1" in lines[-1]
    cache = str(venv / "share" / "solara" / "cdn")
    assets = [i for i, line in enumerate(lines) if cache in line]
    assert assets and max(assets) < len(lines) - 1, "the assets are fetched before serving"


# ---- the page in a real browser -------------------------------------------------------------


def _chromium() -> str | None:
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium") or "",
        shutil.which("chromium-browser") or "",
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _drag(page, name: str, fraction: float) -> float:
    """Drag slider ``name``'s thumb with the mouse to ``fraction`` of its track; wait until
    the slider and the value printed above it show the new value; return it."""
    lever = page.locator(f".lever-{name}")
    thumb = lever.locator('[role="slider"]')
    track = lever.locator(".v-slider").bounding_box()
    assert track is not None and track["width"] > 100, f"{name}: track {track}"
    assert lever.locator(".lever-value").inner_text().strip(), f"{name}: no value shown"
    before = thumb.get_attribute("aria-valuenow")
    start = thumb.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(
        track["x"] + fraction * track["width"], track["y"] + track["height"] / 2, steps=8
    )
    page.mouse.up()
    page.wait_for_function(
        "([name, before]) => document.querySelector(`.lever-${name} [role=slider]`)"
        ".getAttribute('aria-valuenow') !== before",
        arg=[name, before],
        timeout=30_000,
    )
    value = float(thumb.get_attribute("aria-valuenow"))
    page.wait_for_function(
        "([name, text]) => document.querySelector(`.lever-${name} .lever-value`)"
        ".innerText.startsWith(text)",
        arg=[name, f"{value:.4g} ("],
        timeout=30_000,
    )
    return value


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _assets_cached() -> bool:
    cache = Path(sys.prefix) / "share" / "solara" / "cdn" / "@widgetti"
    return cache.is_dir() and any(cache.iterdir())


def _wait_for_server(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"solara exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(
        f"solara did not answer on {url} within {timeout:.0f} s:\n{log.read_text()[-3000:]}"
    )


@pytest.mark.browser
@pytest.mark.slow
def test_page_renders_charts_and_steps_in_headless_chromium(tmp_path):
    chromium = _chromium()
    if chromium is None:
        pytest.skip("Debian chromium is not installed (`make system-deps` installs it as root)")
    playwright_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright (python) is not installed"
    )
    solara_cli = Path(sys.executable).with_name("solara")
    if not solara_cli.is_file():
        pytest.skip("the solara command is not installed in this environment")
    if not _assets_cached():
        pytest.skip(
            "Solara's browser bundles are not cached (.venv/share/solara/cdn) and this "
            "machine may be offline; run `make solara-assets` (uses npm)"
        )
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "solara.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [
                str(solara_cli),
                "run",
                str(ROOT / "growthpole" / "app.py"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-open",
                "--production",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
            env={**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"},
        )
    try:
        _wait_for_server(url, server, log, timeout=120)
        profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp_path)
        with playwright_api.sync_playwright() as playwright:
            # a fresh profile directory: launch_persistent_context is Playwright's way to
            # pass --user-data-dir
            browser = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=chromium,
                headless=True,
                args=CHROMIUM_FLAGS,
                viewport={"width": 1400, "height": 1100},
            )
            # offline: every request that leaves this machine is refused (and recorded),
            # so the page must render from the local server and Solara's asset cache alone
            external: list[str] = []
            local: list[str] = []

            def offline(route) -> None:
                host = urllib.parse.urlsplit(route.request.url).hostname or ""
                if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
                    local.append(route.request.url)
                    route.continue_()
                else:
                    external.append(route.request.url)
                    route.abort()

            browser.route("**/*", offline)
            try:
                page = browser.new_page()
                page.goto(url, timeout=60_000)
                page.wait_for_selector("text=Year 2019", timeout=90_000)
                page.wait_for_function(
                    "Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0)"
                    ".length >= 2",
                    timeout=60_000,
                )
                body = page.inner_text("body")
                assert "Traceback" not in body and "Error" not in body
                assert "Hangzhou travel time cut" in body  # a lever slider
                app_module = importlib.import_module("growthpole.app")
                specs = app_module.slider_specs()
                assert page.locator(".lever").count() == len(specs)
                # every slider has a track wide enough to drag, shows its value, and moves
                # when dragged with the mouse; the value printed above it follows the drag
                values: dict[str, float] = {}
                for i, name in enumerate(specs):
                    values[name] = _drag(page, name, fraction=0.3 + 0.07 * i)
                    spec = specs[name]
                    assert spec["min"] <= values[name] <= spec["max"], (name, values[name])
                    assert values[name] != spec["value"], name
                value = values["talent_programmes"]
                page.get_by_role("button", name="Reset").click()
                page.wait_for_selector(
                    f"text=innovation.talent_programmes = {value:g}", timeout=60_000
                )
                page.get_by_role("button", name="Step").click()
                page.wait_for_selector("text=Year 2020", timeout=60_000)
                # the page's number is the model's: the dragged levers and seed, one year
                levers = {k: v for k, v in values.items() if k != "seed"}
                reference = app_module.LeverModel(**levers, seed=int(values["seed"]))
                reference.step()
                gdp = reference.city_year().query("region == 'shaoxing' and year == 2020").gdp
                expected = f"{float(gdp.iloc[0]):,.0f}"
                page.wait_for_selector(f"text=Shaoxing GDP {expected}", timeout=30_000)
                # after one year the flows map joins the GDP and rank charts
                page.wait_for_function(
                    "Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0)"
                    ".length >= 3",
                    timeout=60_000,
                )
                assert external == [], f"the page asked the network for {external}"
                # the filter saw the page's own requests (it is live), the asset cache too
                assert any("/cdn/" in u for u in local), local[:20]
                page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
            finally:
                browser.close()
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
