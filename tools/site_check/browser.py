"""The checks in a real browser (headless Chromium at 1280 x 900): MathJax typesets every
formula without an error and leaves no raw TeX, nothing is requested from the network, no script
throws; and what a learner sees: nothing wider than the page, on a chapter with an exercise its
block, the solution folded and the pictures, the chapters in the sidebar, and the search box
listing a tensor's chapter first."""
import json
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse

from .devtools import DevTools, start_chromium

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

# Run after INSPECT, at 1280 x 900 CSS pixels: what a learner sees of the page.
LEARNER = """
(function () {
  var contents = document.querySelector('div.contents') || document.body;
  var box = contents.getBoundingClientRect();
  var wide = [];
  document.querySelectorAll('.MathJax_Display, div.fragment, div.image img, div.dotgraph').forEach(function (e) {
    var r = e.getBoundingClientRect();
    var scrolls = e.scrollWidth > e.clientWidth + 1 && !e.matches('div.fragment');
    if (r.right > box.right + 1 || r.left < box.left - 1 || scrolls)
      wide.push(e.className + ' ' + Math.round(r.width) + ' px: ' + (e.textContent || e.getAttribute('src') || '').slice(0, 60));
  });
  var headings = Array.prototype.map.call(document.querySelectorAll('h1, h2'), function (h) { return h.textContent.trim(); });
  var folds = Array.prototype.map.call(document.querySelectorAll('details'), function (d) {
    var s = d.querySelector('summary');
    return {open: d.open, summary: s ? s.textContent.trim() : '', code: !!d.querySelector('div.fragment')};
  });
  var images = Array.prototype.map.call(document.querySelectorAll('div.image img'), function (i) {
    return {src: i.getAttribute('src'), width: i.naturalWidth, shown: i.getBoundingClientRect().width};
  });
  var nav = Array.prototype.map.call(document.querySelectorAll('#nav-tree a'), function (a) { return a.textContent.trim(); });
  return {pageWidth: document.documentElement.scrollWidth, windowWidth: window.innerWidth, wide: wide,
          headings: headings, folds: folds, images: images, nav: nav, text: document.body.innerText};
})()
"""

# The search box of the title area: what typing `query` lists first.
SEARCH = """
(function (query) {
  var input = document.getElementById('ninja-search-input');
  if (!input) return null;
  input.value = query;
  input.dispatchEvent(new Event('input'));
  var first = document.querySelector('#ninja-search-results a');
  return first ? first.getAttribute('href') : '';
})(%s)
"""

# A tensor's name typed in the search box, and the chapter it must list first.
SEARCHES = {"bnvar": "chapter_13.html", "dlogits": "chapter_08.html", "dC": "chapter_20.html",
            "hprebn": "chapter_17.html", "counts": "chapter_05.html", "W1": "chapter_18.html"}


def learner_problems(name, seen, exercise):
    """What a learner must find on a page: nothing wider than the page at 1280 px, and on a
    chapter with an exercise the exercise's block, the solution folded, and the pictures."""
    problems = [f"{name}: wider than its column at 1280 px: {w}" for w in seen.get("wide", [])]
    if seen.get("pageWidth", 0) > seen.get("windowWidth", 0):
        problems.append(f"{name}: the page scrolls sideways at 1280 px ({seen['pageWidth']} px)")
    if not any(n.startswith("Chapter 23") for n in seen.get("nav", [])):
        problems.append(f"{name}: the sidebar does not list the chapters")
    problems += [f"{name}: picture {i['src']} did not load" for i in seen.get("images", [])
                 if not i["width"]]
    if not exercise:
        return problems
    number = name[len("chapter_"):len("chapter_") + 2]
    text = seen.get("text", "")
    for needed in ("exercise.hpp", f"tools/exercises.py goto {number}", "--hint 1",
                   f"ctest --test-dir build/exercises -R chapter_{number}",
                   "correct up to rounding", "not started"):
        if needed not in text:
            problems.append(f"{name}: the exercise block lacks {needed!r}")
    folds = seen.get("folds", [])
    if not any(f["summary"] == "show the solution" and f["code"] and not f["open"] for f in folds):
        problems.append(f"{name}: no closed 'show the solution' fold with the code: {folds}")
    # The chapter's pictures: its gradients' (chapter_NN_name_dX.png), or chapter 23's loss curve.
    if not any(i["src"].startswith(f"chapter_{number}_") or i["src"] == "loss_curve.png"
               for i in seen.get("images", [])):
        problems.append(f"{name}: no picture of the chapter's gradient or loss")
    return problems


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


def search_problems(dt, session):
    problems = []
    for query, chapter in SEARCHES.items():
        first = evaluate(dt, session, SEARCH % json.dumps(query))
        if not (first or "").endswith(chapter):
            problems.append(f"search: {query!r} lists {first!r} first, not {chapter}")
    return problems


def browser_checks(site, chromium, pages, exercises, verbose=False):
    """Opens each page of `pages` at 1280 x 900; `exercises` are the names of the chapter pages
    with an exercise."""
    problems = []
    profile = tempfile.mkdtemp(prefix="check_site_")
    process, url = start_chromium(chromium, profile)
    fonts_from_site = False
    try:
        dt = DevTools(url)
        target = dt.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = dt.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime"):
            dt.call(f"{domain}.enable", session=session)
        dt.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900,
                                                       "deviceScaleFactor": 1, "mobile": False},
                session=session)
        dt.call("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_MATHJAX}, session=session)
        for page in pages:
            name = str(page.relative_to(site))
            dt.events.clear()
            dt.call("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
            dt.wait_for("Page.loadEventFired", session, 60)
            value = evaluate(dt, session, INSPECT, wait=True) or {}
            seen = evaluate(dt, session, LEARNER) or {}
            if name == "index.html":
                problems += search_problems(dt, session)
            time.sleep(0.05)
            drain(dt)
            network, requests, fonts = network_problems(dt, session, name, verbose)
            fonts_from_site |= fonts
            problems += network + mathjax_problems(name, value)
            problems += learner_problems(name, seen, name in exercises)
            print(f"  {name}: {value.get('formulas', 0)} formulas, {requests} requests")
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)
    if not fonts_from_site:
        problems.append("no page loaded the MathJax web fonts from the site's mathjax/fonts")
    return problems
