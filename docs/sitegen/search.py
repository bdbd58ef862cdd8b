"""The site's search index: a row per page, with what a learner may type to find it. A chapter
lists the tensors whose gradients it derives (one step at a time, or fused), the tensors its step
reads, its sections, the pattern its backward line follows (a concept: broadcast, scatter-add,
...), and its words as they read on the page; the main page, the Exercises page and the cheat
sheet their words. docs/ninja_search.js ranks the pages for a query."""
import json
import re

from .cheatsheet import PATTERNS
from .facts import comment_sections, file_comment
from .pagedox import PageDox


def doxygen_words(text):
    """The words of Doxygen text as a reader sees them: formulas, code blocks, HTML and
    commands out, a \\ref's text in."""
    text = re.sub(r"\\f\$.*?\\f\$|\\f\[.*?\\f\]|\\f\{.*?\\f\}\{?", " ", text, flags=re.S)
    text = re.sub(r"[@\\]code.*?[@\\]endcode|\\verbatim.*?\\endverbatim|\\dot.*?\\enddot", " ",
                  text, flags=re.S)
    text = re.sub(r"\\htmlonly(?:\[block\])?.*?\\endhtmlonly", " ", text, flags=re.S)
    text = re.sub(r'[@\\]ref \S+ "([^"]*)"', r"\1", text)
    text = re.sub(r"[@\\](?:ref|snippet|verbinclude|image html|anchor|page|section|subsection|"
                  r"mainpage|filecomment|caption|backward|endbackward|brief|file) ?\S*", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\|?[-|: ]+$|^[=#-]+$|<[^>]*>|[`*|]|\{#\w+\}", " ", text, flags=re.M)
    return " ".join(text.split())


def chapter_entry(c):
    page = PageDox(c)
    comment = file_comment(c.file(c.header.split("/")[1]))
    _, sections = comment_sections(comment)
    sections = [(t, label) for label, t, _ in sections]
    concept = dict((k, heading) for k, heading, _ in PATTERNS).get(page.pattern, "")
    words = " · ".join([c.title, c.info.get("goal", ""), concept, page.step, comment] + c.hints +
                       list(page.captions.values()) + [page.results[2]] +
                       [body for _, _, body in page.own])
    return {"url": f"{c.label}.html", "title": f"Chapter {c.number:02d}: {c.name}",
            "name": c.name, "about": c.title, "derives": c.list("grads"),
            "fused": bool(c.info.get("composes")), "reads": c.list("inputs"),
            "sections": sections, "text": doxygen_words(words)}


def page_entry(url, title, about, text):
    return {"url": url, "title": title, "name": title.lower(), "about": about, "derives": [],
            "fused": False, "reads": [], "sections": [], "text": doxygen_words(text)}


def search_index(chapters, root, exercises, cheat_sheet):
    """The JavaScript file the site's search box reads: the main page, the Exercises page (its
    text `exercises`), the cheat sheet (its text `cheat_sheet`), then the chapters."""
    entries = [
        page_entry("index.html", "Contents", "where to start, the chapters, the forward graph",
                   (root / "docs" / "mainpage.dox").read_text() +
                   " ".join(c.title for c in chapters)),
        page_entry("exercises.html", "Exercises", "the exercise loop, the verdicts, the programs",
                   exercises),
        page_entry("cheatsheet.html", "Cheat sheet",
                   "every backward line by pattern; the letters n, V, B, E, H", cheat_sheet),
    ] + [chapter_entry(c) for c in chapters]
    return ("// Written by docs/make_site.py: what the search box finds.\nvar ninjaSearchIndex = " +
            json.dumps(entries, separators=(",", ":")) + ";\n")
