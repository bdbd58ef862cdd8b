"""The checks that need no browser: every local link and asset of the site exists (and the
#fragment of a local link), nothing is loaded from the network, no command block shows the
comment's ` * ` margin; the sidebar lists the chapters in order with their sections; every
chapter's pictures are PNG files that are not blank."""
import html.parser
import json
import re
import struct
import urllib.parse
import zlib

NETWORK = re.compile(r"^(https?|wss?|ftp):", re.I)
# A line of a verbatim block (<pre class="fragment">) that starts with the comment's margin.
MARGIN = re.compile(r'<pre class="fragment">(?:[^<]*\n)?\* ', re.M)


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
            if MARGIN.search(f.read_text(encoding="utf-8", errors="replace")):
                problems.append(f"{f.relative_to(site)}: a command block starts its lines with '* '")
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
            if parts.fragment and target.suffix == ".html" and target.is_file():
                if parts.fragment not in _parse(target, cache).ids:
                    problems.append(f"{where}: no id \"{parts.fragment}\" in {target.name}")
    return files, problems


# ---- the sidebar --------------------------------------------------------------------------------
def navigation_tree(site):
    """The sidebar's tree (Doxygen's navtreedata.js): [title, link, children or None] entries."""
    text = (site / "navtreedata.js").read_text()
    start = text.index("var NAVTREE =") + len("var NAVTREE =")
    return json.loads(text[start:text.index("];", start) + 1])[0][2]


EXERCISE_SECTIONS = ["The step", "Your turn", "The code", "Running it", "The output", "The picture",
                     "Results"]
# The training chapter's exercise is the loop, not a derivation: no forward line, shapes or
# gradient picture (its picture, the loss curve, is in its results).
TRAINING_SECTIONS = ["The step", "The loop", "Your turn", "The code", "Running it", "The output",
                     "Results"]


def navigation_checks(site):
    """The sidebar lists every chapter page in order, each with its sections: the step, the
    derivation's (the forward line(s), shapes), and for the chapters with an exercise the
    exercise, the code, running it, the output, the picture and the results (the training
    chapter: the loop instead of the derivation, and its picture in the results)."""
    problems = []
    pages = sorted(p.name for p in site.glob("chapter_[0-9][0-9].html"))
    entries = [e for e in navigation_tree(site) if e[1].startswith("chapter_")]
    if [e[1] for e in entries] != pages:
        problems.append(f"sidebar: chapters {[e[1] for e in entries]}, expected {pages}")
    for title, link, children in entries:
        sections = [c[0] for c in children or []]
        exercise = any(s == "Your turn" for s in sections)
        training = "The loop" in sections
        derivation = exercise and not training
        if derivation and not any(s.startswith("The forward line") for s in sections):
            problems.append(f"sidebar: {title} has no forward-line section: {sections}")
        if derivation and "Shapes" not in sections:
            problems.append(f"sidebar: {title} has no section Shapes")
        wanted = (TRAINING_SECTIONS if training else EXERCISE_SECTIONS if exercise
                  else ["The step", "The code", "The output", "Results"])
        for w in wanted:
            if not any(s.startswith(w) for s in sections):
                problems.append(f"sidebar: {title} has no section {w!r}: {sections}")
    print(f"sidebar: {len(entries)} chapters")
    return problems, [link for _, link, children in entries
                      if any(c[0] == "Your turn" for c in children or [])]


# ---- the pictures -------------------------------------------------------------------------------
def png_pixels(path):
    """(width, height, pixels) of an 8-bit RGB or RGBA PNG, pixels as (r, g, b) tuples."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    at, idat, width = 8, b"", 0
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                raise ValueError(f"bit depth {depth}, colour type {colour}: not 8-bit RGB(A)")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):  # undo the scanline's filter (PNG specification, section 9)
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(line)
        previous = line
    pixels = [tuple(row[x:x + 3]) for row in rows for x in range(0, stride, channels)]
    return width, height, pixels


def picture_checks(site):
    """Every chapter's picture is a PNG that is not blank: at least 2% of its pixels are not the
    white background, in at least 3 colours (a heatmap, a colour bar, the text)."""
    problems = []
    pictures = sorted(site.glob("chapter_*_*.png"))
    for path in pictures:
        try:
            width, height, pixels = png_pixels(path)
        except ValueError as e:
            problems.append(f"{path.name}: {e}")
            continue
        drawn = [p for p in pixels if p != (255, 255, 255)]
        if len(drawn) < 0.02 * width * height or len(set(drawn)) < 3:
            problems.append(f"{path.name}: blank ({len(drawn)} of {width * height} pixels drawn)")
    print(f"pictures: {len(pictures)} checked")
    return problems
