#!/usr/bin/env python3
"""Browser test of the website that `cmake --build <build> --target docs` writes.

usage: check_site.py [--chromium PATH] SITE_DIR

1. Statically, for every .html, .svg and .css file of the site: every local link and asset
   (href, src, data, xlink:href, url(...)) exists, and so does the #fragment of a local HTML
   link; no asset (script, stylesheet, image, frame, font) is loaded from the network.
2. In headless Chromium, driven through the DevTools protocol, for the main page and every page
   with math: MathJax typesets every formula without a TeX or processing error, no raw TeX
   (\\f$, \\frac, \\begin{ ...) is left in the rendered text, no script throws, and the page
   itself requests nothing but existing local files. The browser's own background traffic
   (which the command-line switches below also turn off) is told apart from the page's because
   only the requests of the page's target are recorded. The MathJax web fonts copied into the
   site must be what is used (MathJax is configured never to use fonts installed on the
   machine), so the test also requires that the fonts were loaded from the site.

Standard library only. Exit status: 0 all passed, 1 a check failed, 77 no site to check.
"""
import argparse
import base64
import html.parser
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

EXIT_SKIP = 77
RAW_TEX = ["\\f$", "\\f[", "\\f]", "\\f{", "\\frac", "\\begin{", "\\end{", "\\mathrm", "\\sum"]
DOXYGEN_SUMMARY_ANCHORS = {"nested-classes", "pub-types", "pub-methods", "pub-static-methods",
                           "pub-attribs", "pub-static-attribs", "pro-types", "pro-methods",
                           "pro-attribs", "related", "friends", "typedef-members", "func-members"}
NETWORK = re.compile(r"^(https?|wss?|ftp):", re.I)


# ---- static checks ------------------------------------------------------------------------------
class _Links(html.parser.HTMLParser):
    """Collects the links of one HTML or SVG file and the ids it defines."""

    ASSET_TAGS = {"script", "img", "iframe", "object", "embed", "source", "image", "use", "frame"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []   # (tag, attribute, value, is_asset)
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            if name in ("href", "src", "data", "xlink:href"):
                asset = tag in self.ASSET_TAGS or (tag == "link" and name == "href")
                self.links.append((tag, name, value.strip(), asset))

    handle_startendtag = handle_starttag


def _parse(path, cache):
    if path not in cache:
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = parser
    return cache[path]


def static_checks(site):
    problems = []
    cache = {}
    files = sorted(p for p in site.rglob("*") if p.suffix in (".html", ".svg", ".css")
                   and "mathjax" not in p.relative_to(site).parts)
    for f in files:
        if f.suffix == ".css":
            text = f.read_text(encoding="utf-8", errors="replace")
            links = [("css", "url", u.strip("'\" "), True) for u in re.findall(r"url\(([^)]*)\)", text)]
            links += [("css", "import", u, True) for u in re.findall(r"@import\s+[\"']([^\"']+)", text)]
        else:
            links = _parse(f, cache).links
        for tag, attr, value, asset in links:
            where = f"{f.relative_to(site)}: <{tag} {attr}=\"{value}\">"
            if value.startswith(("data:", "javascript:", "mailto:")) or value == "":
                continue
            if NETWORK.match(value) or value.startswith("//"):
                if asset:
                    problems.append(f"{where}: asset loaded from the network")
                continue
            parts = urllib.parse.urlsplit(value)
            if parts.scheme and parts.scheme != "file":
                problems.append(f"{where}: unexpected scheme")
                continue
            target = f if parts.path == "" else (f.parent / urllib.parse.unquote(parts.path)).resolve()
            if not target.exists():
                problems.append(f"{where}: {parts.path} does not exist")
                continue
            # Doxygen's member-summary bar links to every section heading of the class even when
            # the section is omitted (only private members): not a link a reader follows.
            summary = parts.path == "" and parts.fragment in DOXYGEN_SUMMARY_ANCHORS
            if parts.fragment and target.suffix == ".html" and target.is_file() and not summary:
                if parts.fragment not in _parse(target, cache).ids:
                    problems.append(f"{where}: no id \"{parts.fragment}\" in {target.name}")
    return files, problems


# ---- a minimal WebSocket client (RFC 6455, text frames) for the DevTools protocol ---------------
class WebSocket:
    def __init__(self, url, timeout=60):
        parts = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the connection during the handshake")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise ConnectionError(f"WebSocket handshake refused: {head[:200]!r}")

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _send_frame(self, opcode, payload):
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x8:
                raise ConnectionError("DevTools closed the WebSocket")
            if opcode == 0x9:
                self._send_frame(0xA, payload)
                continue
            if opcode in (0x0, 0x1, 0x2):
                message += payload
                if b0 & 0x80:
                    return message.decode("utf-8", errors="replace")


class DevTools:
    def __init__(self, url):
        self.ws = WebSocket(url)
        self.next_id = 0
        self.events = []

    def call(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, session, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    del self.events[i]
                    return event
            self.ws.sock.settimeout(max(0.1, deadline - time.time()))
            try:
                self.events.append(json.loads(self.ws.recv()))
            except socket.timeout:
                break
        raise TimeoutError(f"no {method} within {timeout} s")


# Installed before any page script: MathJax 2 reads a `window.MathJax` object as configuration
# and calls its AuthorInit, where the test listens for every error MathJax reports.
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


# Fonts installed on the machine (Debian's fonts-mathjax) could hide a site whose copied web fonts
# are missing: the browser runs with a fontconfig setup that rejects every MathJax font.
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*/mathjax/*</glob><glob>*MathJax*</glob></rejectfont></selectfont>
</fontconfig>
"""


def start_chromium(chromium, profile):
    args = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--disable-extensions", "--disable-domain-reliability", "--disable-breakpad",
            "--disable-client-side-phishing-detection", "--disable-features=MediaRouter,OptimizationHints,Translate",
            "--metrics-recording-only", "--safebrowsing-disable-auto-update",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--remote-debugging-port=0",
            f"--user-data-dir={profile}", "about:blank"]
    fonts_conf = Path(profile) / "fonts.conf"
    fonts_conf.write_text(FONTS_CONF)
    env = dict(os.environ, FONTCONFIG_FILE=str(fonts_conf))
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    port_file = Path(profile) / "DevToolsActivePort"
    deadline = time.time() + 30
    while time.time() < deadline:
        if port_file.exists():
            lines = port_file.read_text().split()
            if len(lines) >= 2:
                return process, f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        if process.poll() is not None:
            raise RuntimeError(f"{chromium} exited with {process.returncode}")
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{chromium} did not open its DevTools port")


def has_math(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    return "\\(" in text or "\\[" in text or "\\begin{" in text


def browser_checks(site, chromium, pages, verbose=False):
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
        dt.call("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_MATHJAX}, session=session)
        for page in pages:
            name = str(page.relative_to(site))
            dt.events.clear()
            dt.call("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
            dt.wait_for("Page.loadEventFired", session, 60)
            result = dt.call("Runtime.evaluate", {"expression": INSPECT, "awaitPromise": True,
                                                  "returnByValue": True}, session=session)
            value = result.get("result", {}).get("value", {})
            time.sleep(0.05)
            try:  # collect the events still queued
                dt.ws.sock.settimeout(0.2)
                while True:
                    dt.events.append(json.loads(dt.ws.recv()))
            except socket.timeout:
                pass
            requests = {}
            for event in dt.events:
                if event.get("sessionId") != session:
                    continue
                method, params = event.get("method"), event.get("params", {})
                if method == "Network.requestWillBeSent":
                    requests[params["requestId"]] = params["request"]["url"]
                    u = params["request"]["url"]
                    if verbose:
                        print("    request", u)
                    if not u.startswith(("file:", "data:", "about:")):
                        problems.append(f"{name}: requested {u} (not a local file)")
                    if u.startswith("file:") and re.search(r"/mathjax/fonts/.*\.woff$", urllib.parse.urlsplit(u).path):
                        fonts_from_site = True
                elif method == "Network.loadingFailed":
                    u = requests.get(params["requestId"], "?")
                    problems.append(f"{name}: failed to load {u}: {params.get('errorText')}")
                elif method == "Runtime.exceptionThrown":
                    d = params["exceptionDetails"]
                    text = d.get("exception", {}).get("description") or d.get("text")
                    problems.append(f"{name}: script error: {str(text)[:200]}")
            if value.get("timeout"):
                problems.append(f"{name}: MathJax did not finish within 30 s")
                continue
            if value.get("formulas") and not value.get("mathjax"):
                problems.append(f"{name}: has math but MathJax did not load")
            for tex in value.get("untypeset", []):
                problems.append(f"{name}: formula not typeset: {tex}")
            for err in value.get("errorNodes", []) + value.get("messages", []):
                problems.append(f"{name}: MathJax error: {err}")
            text = value.get("text", "")
            for raw in RAW_TEX:
                if raw in text:
                    at = text.index(raw)
                    problems.append(f"{name}: raw TeX {raw!r} visible: ...{text[max(0, at - 40):at + 40]!r}")
            print(f"  {name}: {value.get('formulas', 0)} formulas, {len(requests)} requests")
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the html folder of the built site")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--verbose", action="store_true", help="list every request of every page")
    parser.add_argument("--page", action="append", default=[],
                        help="load only this page (relative to SITE_DIR) in the browser; repeatable")
    args = parser.parse_args()
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"no site at {site}: build the docs target first; skipped")
        return EXIT_SKIP
    files, problems = static_checks(site)
    html_files = [f for f in files if f.suffix == ".html"]
    print(f"static: {len(files)} files checked, {len(problems)} problems")
    pages = [site / "index.html"] + [f for f in html_files if f.name != "index.html" and has_math(f)]
    if args.page:
        pages = [site / p for p in args.page]
    print(f"browser: {len(pages)} pages (the main page and every page with math)")
    problems += browser_checks(site, args.chromium, pages, args.verbose)
    for p in problems:
        print("FAIL", p)
    print("passed" if not problems else f"{len(problems)} problems")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
