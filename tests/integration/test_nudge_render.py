"""The nudge in a real browser engine: headless Chromium lays its HTML part out at a phone's width
(375 px) and a desktop's (1024 px), and nothing may stick out sideways. Screenshots in light mode,
dark mode (prefers-color-scheme) and forced dark (the colour inversion the Gmail and Outlook apps
apply) are kept for a human to look at, with the HTML they show, in $FOLLOWUP_ARTIFACTS/nudge-render/
(default: test-artifacts/nudge-render/ in the repo).

Chromium is driven from its command line, no Python package: ``--dump-dom`` of a page that
measures the nudge, ``--screenshot`` of the nudge itself. Headless Chromium will not lay a page
out narrower than 500 px whatever ``--window-size`` says (only the screenshot is resized to the
width asked for), so the measuring page holds the nudge in an iframe exactly as wide as the phone.
Without Chromium these tests skip (and so fail under CI=true): ``apt-get install chromium``.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.integration.mailservers import installed_command
from tests.unit.test_digest_html import NOW, SIGNED, hostile_reminders
from watcher.digest import build_nudge

WIDTHS = (375, 1024)
MODES = {"light": (), "dark": ("--force-dark-mode",),  # prefers-color-scheme: dark
         "forced-dark": ("--blink-settings=forceDarkModeEnabled=true",)}  # Chromium inverts a light page

# Run in the measuring page once the nudge in its iframe has loaded: the nudge's own scroll width
# against its viewport, and every box that reaches past the viewport's left or right edge.
MEASURE = """
addEventListener('load', function () {
  var win = document.getElementById('nudge').contentWindow, doc = win.document, width = win.innerWidth;
  var all = doc.body.getElementsByTagName('*'), sticking = [];
  for (var i = 0; i < all.length; i++) {
    var box = all[i].getBoundingClientRect();
    if ((box.width || box.height) && (box.right > width + 0.5 || box.left < -0.5))
      sticking.push({tag: all[i].tagName.toLowerCase(), left: Math.round(box.left), right: Math.round(box.right),
                     text: (all[i].textContent || '').trim().slice(0, 60)});
  }
  document.getElementById('overflow-report').textContent = JSON.stringify({
    viewport: width, scrollWidth: doc.documentElement.scrollWidth, elements: all.length,
    height: Math.ceil(doc.body.getBoundingClientRect().bottom), sticking: sticking.slice(0, 10),
    stickingCount: sticking.length});
});
"""
MEASURING_PAGE = ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
                  '<iframe id="nudge" style="display:block;border:0;width:{width}px;height:{height}px" '
                  'srcdoc="{srcdoc}"></iframe><pre id="overflow-report"></pre><script>{script}</script></body></html>')


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("chromium not found: the nudge's HTML cannot be rendered (apt-get install chromium)")
    return found


class Artifacts:
    """Where the screenshots and the HTML they show are kept, and what this run wrote there."""

    def __init__(self, root: Path):
        self.root, self.written = root, []

    def path(self, name: str) -> Path:
        target = self.root / name
        target.unlink(missing_ok=True)  # a stale file must not pass for this run's
        self.written.append(target)
        return target

    def write_index(self) -> Path:
        index = self.root / "index.html"
        entries = "".join(f"<p><a href='{path.name}'>{path.name}</a></p>"
                          + (f"<img src='{path.name}' alt=''>" if path.suffix == ".png" else "")
                          for path in sorted(self.written) if path.exists())
        index.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>nudge render</title></head>"
                         f"<body>{entries}</body></html>", encoding="utf-8")
        return index


@pytest.fixture(scope="module")
def artifacts(request):
    root = Path(os.environ.get("FOLLOWUP_ARTIFACTS") or REPO / "test-artifacts") / "nudge-render"
    root.mkdir(parents=True, exist_ok=True)
    kept = Artifacts(root)
    yield kept
    if kept.written:
        index = kept.write_index()
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        if reporter and capture:
            with capture.global_and_fixture_disabled():
                reporter.write_line(f"\nnudge screenshots and HTML: {index}")


def run_chromium(binary: str, *args: str) -> str:
    """Run headless Chromium with a throwaway profile; return what it printed on stdout."""
    with tempfile.TemporaryDirectory(prefix="followup-chromium-") as profile:
        result = subprocess.run([binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                 "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                                 "--mute-audio", f"--user-data-dir={profile}", *args],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"chromium {' '.join(args)} failed:\n{result.stderr[-2000:]}"
    return result.stdout


def measure(binary: str, document: str, width: int, workdir: Path) -> dict:
    """Lay ``document`` out ``width`` px wide; return the overflow report (see ``MEASURE``)."""
    page = workdir / f"measure-{width}.html"
    page.write_text(MEASURING_PAGE.format(width=width, height=20000, srcdoc=html.escape(document, quote=True),
                                          script=MEASURE), encoding="utf-8")
    dom = run_chromium(binary, f"--window-size={max(width, 600)},900", "--virtual-time-budget=5000",
                       "--dump-dom", page.as_uri())
    report = re.search(r'<pre id="overflow-report">(.*?)</pre>', dom, re.S)
    assert report and report[1], f"the measuring page reported nothing:\n{dom[-1000:]}"
    return json.loads(html.unescape(report[1]))


def overflows(report: dict) -> bool:
    return report["scrollWidth"] > report["viewport"] or report["stickingCount"] > 0


def screenshot(binary: str, page: Path, target: Path, width: int, height: int, mode: str) -> Path:
    target.unlink(missing_ok=True)
    run_chromium(binary, *MODES[mode], f"--window-size={width},{height}", f"--screenshot={target}", page.as_uri())
    return target


def png_summary(path: Path, rows: int = 320) -> dict:
    """Width and height of an 8-bit RGB(A) PNG, and of its top ``rows`` rows the number of
    distinct colours and the mean luminance (0-255). Only what Chromium writes is supported."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    position, compressed = 8, []
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed.append(body)
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"{path}: unexpected PNG format"
    channels = 3 if colour == 2 else 4
    stride, rows = width * channels, min(rows, height)
    raw = zlib.decompressobj().decompress(b"".join(compressed), (stride + 1) * rows)
    previous, colours, luminance = bytearray(stride), set(), 0
    for row in range(rows):
        kind, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
        unfilter(kind, line, previous, channels)
        pixels = list(zip(line[0::channels], line[1::channels], line[2::channels]))
        colours.update(pixels)
        luminance += sum(0.299 * r + 0.587 * g + 0.114 * b for r, g, b in pixels)
        previous = line
    return {"width": width, "height": height, "colours": len(colours), "luminance": luminance / (rows * width),
            "right_edge": pixels[-1] if rows else None}


def unfilter(kind: int, line: bytearray, previous: bytearray, step: int) -> None:
    """Undo one PNG scanline filter in place (RFC 2083, 6.3)."""
    if kind == 1:
        for i in range(step, len(line)):
            line[i] = (line[i] + line[i - step]) & 255
    elif kind == 2:
        line[:] = bytes((a + b) & 255 for a, b in zip(line, previous))
    elif kind == 3:
        for i in range(len(line)):
            line[i] = (line[i] + ((line[i - step] if i >= step else 0) + previous[i]) // 2) & 255
    elif kind == 4:
        for i in range(len(line)):
            a, b = (line[i - step] if i >= step else 0), previous[i]
            c = previous[i - step] if i >= step else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    else:
        assert kind == 0, f"unknown PNG filter {kind}"


# --- the detector and the flags it rests on ------------------------------------------------------
TOO_WIDE = '<table width="800" style="width:800px"><tr><td>a table 800 px wide</td></tr></table>'
LONG_WORD = '<div style="font-size:16px">' + "Rechnungsnummer" * 40 + "</div>"
FITS = ('<table width="100%" style="width:100%;max-width:600px"><tr><td style="font-size:16px">A reminder '
        'that wraps like any paragraph of text does, however narrow the screen.</td></tr></table>')


@pytest.mark.parametrize("body, too_wide", [(TOO_WIDE, True), (LONG_WORD, True), (FITS, False)],
                         ids=["800px-table", "unbroken-word", "fluid-table"])
def test_the_overflow_detector_tells_a_page_too_wide_for_a_phone(chromium, tmp_path, body, too_wide):
    report = measure(chromium, f"<!DOCTYPE html><html><body style='margin:0'>{body}</body></html>", 375, tmp_path)
    assert report["viewport"] == 375  # not Chromium's 500 px minimum window
    assert report["elements"] >= 1 and report["height"] > 0
    assert overflows(report) is too_wide, report
    if body == TOO_WIDE:
        assert report["scrollWidth"] >= 800 and any(box["right"] >= 800 for box in report["sticking"])


def test_screenshots_have_the_width_and_colour_scheme_asked_for(chromium, tmp_path):
    page = tmp_path / "probe.html"
    page.write_text("<!DOCTYPE html><html><head><style>@media (prefers-color-scheme: dark)"
                    "{body{background:#000000 !important}}</style></head><body style='margin:0;background:#ffffff'>"
                    "<div style='height:400px;border-right:10px solid #ff0000'>&nbsp;</div></body></html>")
    light = png_summary(screenshot(chromium, page, tmp_path / "light.png", 375, 400, "light"))
    dark = png_summary(screenshot(chromium, page, tmp_path / "dark.png", 375, 400, "dark"))
    assert (light["width"], light["height"]) == (375, 400)
    assert light["right_edge"] == (255, 0, 0)  # the border at the page's right edge: laid out 375 px wide
    assert light["luminance"] > 200 and dark["luminance"] < 50, (light, dark)


# --- the nudges ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def nudges(artifacts, tmp_path_factory) -> dict[str, Path]:
    """The demo's nudge as ``followup-watcher demo --html`` writes it, and the hostile one of
    tests/unit/test_digest_html.py; both saved with the artefacts."""
    home = tmp_path_factory.mktemp("demo-home")
    demo = artifacts.path("demo-nudge.html")
    result = subprocess.run([str(installed_command()), "demo", "--html", str(demo)], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "HOME": str(home), "XDG_STATE_HOME": str(home / "state"),
                                              "XDG_CONFIG_HOME": str(home / "config")})
    assert result.returncode == 0, result.stderr
    hostile = artifacts.path("hostile-nudge.html")
    items, declines = hostile_reminders()
    nudge = message_from_bytes(build_nudge(items, NOW, SIGNED, declines).as_bytes(), policy=policy.default)
    hostile.write_text(nudge.get_body(("html",)).get_content(), encoding="utf-8")
    return {"demo": demo, "hostile": hostile}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["demo", "hostile"])
def test_the_nudge_fits_the_screen_and_reads_in_light_and_dark(chromium, nudges, artifacts, tmp_path, name, width):
    page = nudges[name]
    document = page.read_text(encoding="utf-8")
    report = measure(chromium, document, width, tmp_path)
    assert report["viewport"] == width and report["elements"] > 50
    assert not overflows(report), f"{name} nudge is wider than {width} px: {json.dumps(report, indent=1)}"

    height = min(report["height"], 12000)
    modes = list(MODES) if width == 375 else ["light", "dark"]
    targets = {mode: artifacts.path(f"{name}-{width}-{mode}.png") for mode in modes}
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda mode: screenshot(chromium, page, targets[mode], width, height, mode), modes))
    shots = {mode: png_summary(target) for mode, target in targets.items()}
    for mode, target in targets.items():
        print(f"screenshot: {target}")
        assert (shots[mode]["width"], shots[mode]["height"]) == (width, height), (mode, shots[mode])
        assert shots[mode]["colours"] > 20, f"{target} looks blank: {shots[mode]}"  # text, not one flat colour
    assert shots["light"]["luminance"] > 180, f"{targets['light']} is not light: {shots['light']}"
    assert shots["dark"]["luminance"] < 70, \
        f"{targets['dark']} is not dark: the nudge's prefers-color-scheme: dark colours did not apply: {shots['dark']}"
    if "forced-dark" in shots:
        assert shots["forced-dark"]["luminance"] < 90, f"{targets['forced-dark']}: {shots['forced-dark']}"
    print(f"nudge HTML: {page}")
