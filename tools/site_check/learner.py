"""What a learner sees of a page, measured in the browser (the scripts) and judged (the
functions): the page fits its window, a chapter puts its exercise before its answer, its hints
open one at a time, its pictures say what to see, its navigation is at the top and the bottom."""
import re

# Everything a learner can see of the page: the layout at this width (elements wider than the
# column, boxes that scroll or clip sideways), the sidebar, the order of the headings and
# folds, the visible text and formulas, the navigation, the pictures and the code blocks.
# Whether an element shows: it has a box, and no closed <details> around it hides it (Chromium
# keeps the boxes of a closed fold's content).
VISIBLE = r"""
  function visible(e) {
    for (var d = e.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) {
      var summary = d.querySelector(':scope > summary');
      if (!d.open && !(summary && summary.contains(e))) return false;
    }
    return e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  }
"""
SEEN = r"""
(function () {""" + VISIBLE + r"""
  function describe(e, r) {
    return e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '') +
      ' (' + Math.round(r.left) + ' to ' + Math.round(r.right) + ' px): ' + (e.textContent || e.getAttribute('src') || '').trim().slice(0, 50);
  }
  var contents = document.querySelector('div.contents') || document.body;
  var box = contents.getBoundingClientRect();
  var wide = [];
  contents.querySelectorAll('*').forEach(function (e) {
    if (wide.length > 8 || !visible(e) || e.closest('script, .MathJax_Preview, .MJX_Assistive_MathML')) return;
    var r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)) wide.push('wider than the column: ' + describe(e, r));
    var x = getComputedStyle(e).overflowX;
    if (x !== 'visible' && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && !e.closest('.MathJax'))
      wide.push('scrolls or clips sideways (' + e.scrollWidth + ' px in ' + e.clientWidth + '): ' + describe(e, r));
  });
  contents.querySelectorAll('iframe').forEach(function (f) {  // a graph shown smaller than drawn
    var r = f.getBoundingClientRect();
    if (visible(f) && (r.height + 1 < parseFloat(f.getAttribute('height')) || r.width + 1 < parseFloat(f.getAttribute('width'))))
      wide.push('cropped to ' + Math.round(r.width) + ' x ' + Math.round(r.height) + ' px: ' + describe(f, r));
  });
  var doc = document.getElementById('doc-content');
  var scrollers = [document.documentElement, document.body, doc].filter(Boolean).filter(function (e) {
    return e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'hidden';
  }).map(function (e) { return (e.id || e.tagName) + ' ' + e.scrollWidth + ' px in ' + e.clientWidth; });
  var side = document.getElementById('side-nav');
  var menu = document.getElementById('ninja-menu');
  var order = Array.prototype.map.call(contents.querySelectorAll('h1, details.fold'), function (e) {
    return e.tagName === 'H1' ? 'h:' + e.textContent.trim() : 'f:' + (e.querySelector('summary') || {}).textContent;
  });
  var folds = Array.prototype.map.call(contents.querySelectorAll('details.fold'), function (d) {
    return {summary: d.querySelector('summary').textContent.trim(), open: d.open,
            code: Array.prototype.map.call(d.querySelectorAll('div.fragment'), function (f) { return f.textContent; }).join('\n'),
            math: d.querySelectorAll('script[type^="math/tex"]').length};
  });
  var hints = Array.prototype.map.call(contents.querySelectorAll('details.hint'), function (d) {
    var depth = 0;
    for (var p = d.parentElement; p; p = p.parentElement) if (p.matches('details.hint')) depth++;
    return {summary: d.querySelector('summary').textContent.trim(), open: d.open, depth: depth};
  });
  var tex = Array.prototype.filter.call(document.querySelectorAll('script[type^="math/tex"]'), function (s) {
    var frame = document.getElementById(s.id + '-Frame');
    return frame && visible(frame);
  }).map(function (s) { return s.textContent; });
  var navs = Array.prototype.map.call(contents.querySelectorAll('div.chapter-nav'), function (n) {
    return {text: n.textContent.replace(/\s+/g, ' ').trim(),
            links: Array.prototype.map.call(n.querySelectorAll('a'), function (a) { return a.getAttribute('href'); })};
  });
  var images = Array.prototype.map.call(contents.querySelectorAll('div.image'), function (d) {
    var i = d.querySelector('img'), c = d.querySelector('div.caption');
    return {src: i.getAttribute('src'), width: i.naturalWidth, caption: c ? c.textContent.trim() : ''};
  });
  var fragments = contents.querySelectorAll('div.fragment, pre.fragment');
  var copy = contents.querySelectorAll('doxygen-awesome-fragment-copy-button');
  return {wide: wide, scrollers: scrollers, windowWidth: window.innerWidth,
          sidebar: side ? side.getBoundingClientRect().width : 0,
          menu: menu ? menu.getBoundingClientRect().width : 0,
          order: order, folds: folds, hints: hints, tex: tex, navs: navs, images: images,
          fragments: fragments.length, copyButtons: copy.length,
          headings: Array.prototype.map.call(contents.querySelectorAll('h1, h2'), function (h) { return h.textContent.trim(); }),
          links: Array.prototype.map.call(contents.querySelectorAll('a[href]'), function (a) {
            var r = a.getBoundingClientRect();
            return {href: a.getAttribute('href'), top: r.top, shown: visible(a)};
          }),
          windowHeight: window.innerHeight,
          text: document.body.innerText};
})()
"""

# Opens every fold and hint, as a learner who clicks every "show" does, and resolves once
# MathJax has laid the formulas out again.
OPEN_ALL = """
new Promise(function (resolve) {
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  setTimeout(function () {
    if (window.MathJax && MathJax.Hub) MathJax.Hub.Queue(function () { resolve(true); });
    else resolve(true);
  }, 50);
  setTimeout(function () { resolve(false); }, 30000);
})
"""

# Opens the first hint only: what shows then.
OPEN_FIRST_HINT = """
(function () {""" + VISIBLE + """
  var first = document.querySelector('details.hint');
  if (!first) return null;
  first.open = true;
  return Array.prototype.map.call(document.querySelectorAll('details.hint'), function (d) {
    return visible(d.querySelector('summary'));
  });
})()
"""

# Below 1000 px: the menu button opens the sidebar over the page, Escape closes it. The widths
# of the sidebar: closed, opened, closed again.
MENU = """
(function () {
  var menu = document.getElementById('ninja-menu'), side = document.getElementById('side-nav');
  if (!menu || !side) return null;
  var widths = [side.getBoundingClientRect().width];
  menu.click();
  widths.push(side.getBoundingClientRect().width);
  document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}));
  widths.push(side.getBoundingClientRect().width);
  return widths;
})()
"""

# The sections of an exercise page, in order; the training chapter has its loop where the
# others have their forward line and shapes.
DERIVATION_ORDER = ["h:The step", "h:The forward line", "h:Shapes", "h:Your turn",
                    "h:The derivation", "f:show the derivation", "h:The code", "f:show the code"]
TRAINING_ORDER = ["h:The step", "h:The loop", "h:Your turn", "h:The code"]
TAIL = ["h:The output", "h:Results"]


def fit_problems(name, width, seen):
    """Nothing scrolls sideways or sticks out of the column; the sidebar is there at 1280 px and
    folded away, its menu button shown instead, below 1000 px."""
    where = f"{name} at {width} px"
    problems = [f"{where}: {w}" for w in seen.get("wide", [])]
    problems += [f"{where}: the page scrolls sideways ({s})" for s in seen.get("scrollers", [])]
    if width >= 1000 and seen.get("sidebar", 0) < 200:
        problems.append(f"{where}: no sidebar ({seen.get('sidebar')} px)")
    if width < 1000 and (seen.get("sidebar", 0) > 0 or not seen.get("menu")):
        problems.append(f"{where}: the sidebar takes {seen.get('sidebar')} px and the menu "
                        f"button {seen.get('menu')} px: it must fold away behind the button")
    return problems


def in_order(sequence, wanted):
    """Whether the items of `wanted` start items of `sequence`, in that order."""
    at = 0
    for item in sequence:
        if at < len(wanted) and item.startswith(wanted[at]):
            at += 1
    return at == len(wanted)


def caption_problems(name, images):
    problems = []
    for image in images:
        caption = image["caption"]
        if not image["width"]:
            problems.append(f"{name}: picture {image['src']} did not load")
        if len(caption.split()) < 6 or not caption.endswith(".") or re.search(r"[.!?] [A-Z]", caption):
            problems.append(f"{name}: the caption of {image['src']} is not one sentence that says "
                            f"what to see: {caption!r}")
    return problems


def nav_problems(name, number, last, navs):
    problems = []
    if len(navs) != 2:
        return [f"{name}: {len(navs)} previous/next bars, expected one at the top and one at the bottom"]
    for nav in navs:
        if number and f"chapter {number} of {last}" not in nav["text"]:
            problems.append(f"{name}: the previous/next bar does not say 'chapter {number} of {last}': {nav['text']!r}")
        if len(nav["links"]) < (2 if number == 0 else 3):
            problems.append(f"{name}: the previous/next bar lacks a link: {nav}")
    return problems


def answer_visible(name, seen, derivation):
    """A learner who opens nothing sees no formula of the gradient: no line of the folded code
    shows outside its fold, and on a page with a derivation no visible formula has a partial
    derivative (the training chapter's loop names the SGD update, which is no answer)."""
    problems = [f"{name}: a formula of the gradient shows before any 'show': {t[:60]!r}"
                for t in seen.get("tex", []) if derivation and "\\partial" in t]
    text = " ".join(seen.get("text", "").split())
    for fold in seen.get("folds", []):
        for line in fold["code"].splitlines():
            line = " ".join(line.split())
            if re.match(r"d\w+(\(.*\))? [-+]?= ", line) and line in text:
                problems.append(f"{name}: the answer {line[:60]!r} shows outside its fold")
    return problems


def chapter_problems(name, seen, last):
    """A chapter page with an exercise: the exercise before its answer, each answer folded
    behind its own "show", the hints one inside the other, the way to the Exercises page."""
    number = int(name[len("chapter_"):len("chapter_") + 2])
    order = seen.get("order", [])
    training = any(o.startswith("h:The loop") for o in order)
    wanted = (TRAINING_ORDER if training else DERIVATION_ORDER) + TAIL
    problems = [] if in_order(order, wanted) else [f"{name}: sections in the order {order}, not {wanted}"]
    problems += [f"{name}: the fold {f['summary']!r} is open before any click" for f in seen.get("folds", []) if f["open"]]
    if not any(f["summary"] == "show the code" and f["code"] for f in seen.get("folds", [])):
        problems.append(f"{name}: no 'show the code' fold with the code")
    if not training and not any(f["summary"] == "show the derivation" and f["math"] for f in seen.get("folds", [])):
        problems.append(f"{name}: no 'show the derivation' fold with the derivation's formulas")
    hints = seen.get("hints", [])
    count = len(hints)
    if not count or any(h["open"] or h["depth"] != k or h["summary"] != f"hint {k + 1} of {count}"
                        for k, h in enumerate(hints)):
        problems.append(f"{name}: the hints are not closed, one inside the other: {hints}")
    text = seen.get("text", "")
    for needed in (f"tools/exercises.py goto {number:02d}", f"chapters/{number:02d}_", "exercise.hpp"):
        if needed not in text:
            problems.append(f"{name}: the exercise lacks {needed!r}")
    if not any(link["href"] == "exercises.html" for link in seen.get("links", [])):
        problems.append(f"{name}: no link to the Exercises page")
    for boilerplate in ("Usage: chapter_", "| exit code", "verdict | what it means"):
        if boilerplate in text:
            problems.append(f"{name}: shows {boilerplate!r}: the Exercises page has it, once")
    return problems + answer_visible(name, seen, not training) + nav_problems(name, number, last, seen.get("navs", []))
