"""The search box, used as a learner uses it: typing a query shows a list of results that is
visible and clickable at the window's width, one row per page, the chapter that derives a tensor
first, the page text and concepts found, "no results" when there are none; the arrow keys move
in the list and Enter opens the row chosen; a click opens the row clicked."""
import json
import time

# What typing `query` shows: the rows (their links and reasons), what says "no results", and
# whether the first row is on screen and the topmost element at its centre.
TYPE = """
(function (query) {
  var input = document.getElementById('ninja-search-input');
  if (!input) return null;
  input.focus();
  input.value = query;
  input.dispatchEvent(new Event('input'));
  var list = document.getElementById('ninja-search-results');
  var rows = Array.prototype.map.call(list.querySelectorAll('a'), function (a) {
    return {href: a.getAttribute('href'), reason: a.getAttribute('data-reason')};
  });
  var none = list.querySelector('.ninja-search-none');
  var first = list.querySelector('a'), centre = null, clickable = false, inside = false;
  if (first) {
    var r = first.getBoundingClientRect();
    centre = [r.left + r.width / 2, r.top + r.height / 2];
    var top = document.elementFromPoint(centre[0], centre[1]);
    clickable = !!top && first.contains(top);
    inside = r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight && r.height >= 16;
  }
  return {rows: rows, none: none ? none.textContent : '', clickable: clickable, inside: inside, centre: centre};
})(%s)
"""

KEY = """
(function (key) {
  var input = document.getElementById('ninja-search-input');
  input.dispatchEvent(new KeyboardEvent('keydown', {key: key, bubbles: true, cancelable: true}));
  var active = document.querySelector('#ninja-search-results a.ninja-search-active');
  return active ? active.getAttribute('href') : '';
})(%s)
"""

# A tensor's name and the chapter it must list first (the one that derives its gradient).
FIRST = {"bnvar": "chapter_13.html", "dlogits": "chapter_08.html", "dC": "chapter_20.html",
         "hprebn": "chapter_17.html", "counts": "chapter_05.html", "W1": "chapter_18.html",
         "Bessel": "chapter_14.html", "cross entropy": "chapter_21.html",
         "exercise": "exercises.html", "cheat sheet": "cheatsheet.html"}
# Words of the pages' text and concepts, and a chapter each must list.
LISTS = {"broadcast": "chapter_03.html", "scatter": "chapter_20.html",
         "chain rule": "chapter_02.html", "used twice": "chapter_05.html"}
NOTHING = "qqzx"


def page_of(href):
    return (href or "").split("#")[0]


def typed(dt, session, evaluate, query):
    return evaluate(dt, session, TYPE % json.dumps(query)) or {}


def search_problems(dt, session, evaluate, width, navigate):
    """Checks the search box of the page open in `session` at `width` px; `navigate(url)` loads
    a page again (the keys and the click leave it)."""
    where = f"search at {width} px"
    problems = []
    for query, page in list(FIRST.items()) + list(LISTS.items()):
        seen = typed(dt, session, evaluate, query)
        pages = [page_of(r["href"]) for r in seen.get("rows", [])]
        if len(pages) != len(set(pages)):
            problems.append(f"{where}: {query!r} lists a page twice: {pages}")
        if query in FIRST and (not pages or pages[0] != page):
            problems.append(f"{where}: {query!r} lists {pages[:3]} first, not {page}")
        if query in LISTS and page not in pages:
            problems.append(f"{where}: {query!r} does not list {page}: {pages}")
        if not seen.get("inside") or not seen.get("clickable"):
            problems.append(f"{where}: the results of {query!r} are not on screen and clickable "
                            f"(on screen: {seen.get('inside')}, on top: {seen.get('clickable')})")
    seen = typed(dt, session, evaluate, NOTHING)
    if seen.get("rows") or "no results" not in seen.get("none", ""):
        problems.append(f"{where}: {NOTHING!r} does not say 'no results': {seen}")
    # The keys: down to the second row, Enter opens it.
    seen = typed(dt, session, evaluate, "bnvar")
    rows = [r["href"] for r in seen.get("rows", [])]
    second = evaluate(dt, session, KEY % json.dumps("ArrowDown"))
    if len(rows) < 2 or second != rows[1]:
        problems.append(f"{where}: ArrowDown does not choose the second row: {second!r} of {rows}")
    elif not opens(dt, session, evaluate, lambda: evaluate(dt, session, KEY % json.dumps("Enter")), rows[1]):
        problems.append(f"{where}: Enter does not open {rows[1]}")
    # A click, with the mouse, on the first row.
    navigate()
    seen = typed(dt, session, evaluate, "dC")
    if seen.get("centre"):
        x, y = seen["centre"]

        def click():
            for kind in ("mousePressed", "mouseReleased"):
                dt.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                                     "clickCount": 1}, session=session)
        if not opens(dt, session, evaluate, click, seen["rows"][0]["href"]):
            problems.append(f"{where}: a click on the first row of 'dC' does not open it")
    return problems


def opens(dt, session, evaluate, action, href):
    """Whether `action` takes the page to `href`."""
    action()
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            here = evaluate(dt, session, "location.pathname.split('/').pop() + location.hash") or ""
        except RuntimeError:  # the page is being replaced
            here = ""
        if here == href or page_of(here) == page_of(href) and "#" not in href:
            return True
        time.sleep(0.1)
    return False
