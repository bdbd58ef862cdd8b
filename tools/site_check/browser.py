"""The checks in a real browser (headless Chromium), every page at 1280 and at 800 px wide:
MathJax typesets every formula without an error and leaves no raw TeX, nothing is requested from
the network, no script throws; and what a learner sees (site_check/learner.py): the page fits
its window with every fold closed and with every fold open, a chapter puts its exercise before
its answer, the pictures say what to see, the landing page's first screen says where to start,
the cheat sheet holds every chapter's line; and the search box works (site_check/search.py)."""
import json
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse

from .devtools import DevTools, start_chromium
from .learner import (MENU, OPEN_ALL, OPEN_FIRST_HINT, SEEN, caption_problems,
                      chapter_problems, fit_problems, nav_problems)
from .search import search_problems

RAW_TEX = ["\\f$", "\\f[", "\\f]", "\\f{", "\\frac", "\\begin{", "\\end{", "\\mathrm", "\\sum"]

WATCH_MATHJAX = """
window.__mathjaxErrors = [];
window.MathJax = { AuthorInit: function () {
  ["Math Processing Error", "TeX Jax - parse error", "file failed to load"].forEach(function (m) {
    MathJax.Hub.Register.MessageHook(m, function (msg) {
      window.__mathjaxErrors.push(String(msg[0]) + ": " + String(msg[msg.length - 1]).slice(0, 200));
    });
  });
}};
"""

# Run once the page has loaded: waits for MathJax's first typesetting, then reports.
INSPECT = """
new Promise(function (resolve) {
  function report() {
    var scripts = Array.prototype.slice.call(document.querySelectorAll('script[type^="math/tex"]'));
    var untypeset = scripts.filter(function (s) { return !document.getElementById(s.id + '-Frame'); });
    var errors = document.querySelectorAll('.MathJax_Error, .merror, .noError');
    resolve({
      mathjax: !!(window.MathJax && MathJax.Hub),
      formulas: scripts.length,
      untypeset: untypeset.map(function (s) { return s.textContent.slice(0, 80); }),
      errorNodes: Array.prototype.map.call(errors, function (e) { return e.textContent.slice(0, 80); }),
      messages: window.__mathjaxErrors || [],
      text: document.body ? document.body.innerText : ''
    });
  }
  setTimeout(function () { resolve({timeout: true}); }, 30000);
  if (!(window.MathJax && MathJax.Hub && MathJax.Hub.Register)) { report(); return; }
  MathJax.Hub.Register.StartupHook('End', function () { MathJax.Hub.Queue(report); });
})
"""

def evaluate(dt, session, expression, wait=False):
    result = dt.call("Runtime.evaluate", {"expression": expression, "awaitPromise": wait,
                                          "returnByValue": True}, session=session)
    return result.get("result", {}).get("value")


def drain(dt):
    """Collects the events still queued after a page's checks."""
    try:
        dt.ws.sock.settimeout(0.2)
        while True:
            dt.events.append(json.loads(dt.ws.recv()))
    except socket.timeout:
        pass


def network_problems(dt, session, name, verbose):
    """What the page requested that is not a local file, failed to load, or threw; and whether it
    loaded the MathJax web fonts from the site."""
    problems, requests, fonts_from_site = [], {}, False
    for event in dt.events:
        if event.get("sessionId") != session:
            continue
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            u = params["request"]["url"]
            requests[params["requestId"]] = u
            if verbose:
                print("    request", u)
            if not u.startswith(("file:", "data:", "about:")):
                problems.append(f"{name}: requested {u} (not a local file)")
            path = urllib.parse.urlsplit(u).path
            fonts_from_site |= u.startswith("file:") and bool(re.search(r"/mathjax/fonts/.*\.woff$", path))
        elif method == "Network.loadingFailed":
            problems.append(f"{name}: failed to load {requests.get(params['requestId'], '?')}: "
                            f"{params.get('errorText')}")
        elif method == "Runtime.exceptionThrown":
            d = params["exceptionDetails"]
            text = d.get("exception", {}).get("description") or d.get("text")
            problems.append(f"{name}: script error: {str(text)[:200]}")
    return problems, len(requests), fonts_from_site


def mathjax_problems(name, value):
    if value.get("timeout"):
        return [f"{name}: MathJax did not finish within 30 s"]
    problems = []
    if value.get("formulas") and not value.get("mathjax"):
        problems.append(f"{name}: has math but MathJax did not load")
    problems += [f"{name}: formula not typeset: {tex}" for tex in value.get("untypeset", [])]
    problems += [f"{name}: MathJax error: {e}" for e in value.get("errorNodes", []) + value.get("messages", [])]
    text = value.get("text", "")
    for raw in RAW_TEX:
        if raw in text:
            at = text.index(raw)
            problems.append(f"{name}: raw TeX {raw!r} visible: ...{text[max(0, at - 40):at + 40]!r}")
    return problems



WIDTHS = [1280, 800]
HEIGHT = 900

# The landing page's first screen: where to start, the Exercises page, the cheat sheet, the
# lecture's video and notebook.
FIRST_SCREEN = ["chapter_01.html", "exercises.html", "cheatsheet.html",
                "https://www.youtube.com/watch?v=q8SA3rM6ckI",
                "https://github.com/karpathy/nn-zero-to-hero/blob/master/lectures/makemore/"
                "makemore_part4_backprop.ipynb"]

CHEAT_SHEET = r"""
(function () {
  var rows = Array.prototype.filter.call(document.querySelectorAll('table.cheat tr'), function (r) {
    return r.querySelector('td');
  });
  return {chapters: Array.prototype.map.call(document.querySelectorAll('table.cheat td.cheat-chapter a'),
                                             function (a) { return a.getAttribute('href'); }),
          whole: rows.map(function (r) { return r.querySelectorAll('td').length === 3 && r.querySelectorAll('code').length >= 2; }),
          letters: Array.prototype.map.call(document.querySelectorAll('table:not(.cheat) tr'), function (r) {
            return r.textContent.replace(/\s+/g, ' ').trim(); })};
})()
"""
PATTERNS = ["A broadcast in the forward pass: a sum in the backward pass",
            "A sum in the forward pass: a broadcast in the backward pass",
            "A variable used twice: add the paths", "An index: scatter-add"]


def first_screen_problems(width, seen):
    shown = {link["href"] for link in seen.get("links", [])
             if link["shown"] and 0 <= link["top"] < seen.get("windowHeight", HEIGHT) - 10}
    return [f"index.html at {width} px: the first screen has no link to {href}"
            for href in FIRST_SCREEN if href not in shown]


def cheat_sheet_problems(dt, session, seen, chapters):
    """Every chapter with a derivation has its row, every row its forward and backward lines,
    the four patterns of the lecture their groups, the letters their lecture values."""
    sheet = evaluate(dt, session, CHEAT_SHEET) or {}
    problems = [f"cheatsheet.html: no row for {c}" for c in chapters if c not in sheet.get("chapters", [])]
    if not sheet.get("whole") or not all(sheet["whole"]):
        problems.append(f"cheatsheet.html: a row lacks its forward or backward line: {sheet.get('whole')}")
    problems += [f"cheatsheet.html: no group {p!r}" for p in PATTERNS if p not in seen.get("headings", [])]
    for letter in ("n", "V", "B", "E", "H"):
        if not any(re.match(rf"{letter} \D+ \d+", row) for row in sheet.get("letters", [])):
            problems.append(f"cheatsheet.html: the letters lack {letter} with its lecture value")
    return problems


def hint_problems(dt, session, name):
    """Opening the first hint shows its text and the button of the second, not the third."""
    shown = evaluate(dt, session, OPEN_FIRST_HINT) or []
    if len(shown) > 1 and (not shown[1] or any(shown[2:])):
        return [f"{name}: opening hint 1 must show the button of hint 2 and no more: {shown}"]
    return []


def page_problems(dt, session, name, width, exercises, derivations, chapters, last):
    """Everything the learner checks on one page at one width; the page is loaded."""
    seen = evaluate(dt, session, SEEN) or {}
    problems = fit_problems(name, width, seen)
    headings = seen.get("headings", [])
    problems += [f"{name}: the heading {h!r} twice" for h in set(headings) if headings.count(h) > 1]
    problems += caption_problems(name, seen.get("images", []))
    if seen.get("copyButtons", 0) < seen.get("fragments", 0):
        problems.append(f"{name}: {seen.get('fragments')} code blocks, {seen.get('copyButtons')} copy buttons")
    if name in exercises:
        problems += chapter_problems(name, seen, last)
    elif name.startswith("chapter_"):
        problems += nav_problems(name, int(name[8:10]), last, seen.get("navs", []))
    if name == "index.html":
        problems += first_screen_problems(width, seen)
    if name == "index.html" and width < 1000:
        widths = evaluate(dt, session, MENU) or []
        if len(widths) != 3 or widths[0] or widths[1] < 200 or widths[2]:
            problems.append(f"index.html at {width} px: the menu button does not open the "
                            f"chapters and Escape close them (sidebar widths {widths})")
    if name in ("index.html", "exercises.html") and exercises:  # both say which are exercises
        first, last_exercise = (min(exercises)[8:10], max(exercises)[8:10])
        text = " ".join(seen.get("text", "").split())
        if f"{first} to {last_exercise}" not in text:
            problems.append(f"{name}: does not say that chapters {first} to {last_exercise} are exercises")
    if name == "cheatsheet.html" and width == WIDTHS[0]:
        problems += cheat_sheet_problems(dt, session, seen, sorted(derivations))
    if name in exercises and width == WIDTHS[0]:
        problems += hint_problems(dt, session, name)
    if evaluate(dt, session, OPEN_ALL, wait=True) is not True:
        problems.append(f"{name}: MathJax did not finish after every fold opened")
    problems += [p + " (every fold open)" for p in fit_problems(name, width, evaluate(dt, session, SEEN) or {})]
    return problems


def load(dt, session, page):
    dt.events.clear()
    dt.call("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
    dt.wait_for("Page.loadEventFired", session, 60)
    return evaluate(dt, session, INSPECT, wait=True) or {}


def browser_checks(site, chromium, pages, exercises, derivations, verbose=False):
    """Opens each page of `pages` at each width of WIDTHS; `exercises` are the names of the
    chapter pages with an exercise, `derivations` of those with a derivation (a row each in the
    cheat sheet)."""
    problems = []
    profile = tempfile.mkdtemp(prefix="check_site_")
    process, url = start_chromium(chromium, profile)
    fonts_from_site = False
    chapters = sorted(p.name for p in site.glob("chapter_[0-9][0-9].html"))
    last = int(chapters[-1][8:10]) if chapters else 0
    try:
        dt = DevTools(url)
        target = dt.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = dt.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime"):
            dt.call(f"{domain}.enable", session=session)
        dt.call("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_MATHJAX}, session=session)
        for width in WIDTHS:
            dt.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": HEIGHT,
                                                           "deviceScaleFactor": 1, "mobile": False},
                    session=session)
            for page in pages:
                name = str(page.relative_to(site))
                value = load(dt, session, page)
                problems += page_problems(dt, session, name, width, exercises, derivations,
                                          chapters, last)
                time.sleep(0.05)
                drain(dt)
                network, requests, fonts = network_problems(dt, session, name, verbose)
                fonts_from_site |= fonts
                problems += network + mathjax_problems(name, value)
                print(f"  {width} px {name}: {value.get('formulas', 0)} formulas, {requests} requests")
                if name == "index.html":  # the search box leaves the page: last
                    load(dt, session, page)
                    problems += search_problems(dt, session, evaluate, width,
                                                lambda: load(dt, session, page))
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)
    if not fonts_from_site:
        problems.append("no page loaded the MathJax web fonts from the site's mathjax/fonts")
    return sorted(set(problems), key=problems.index)
