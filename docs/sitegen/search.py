"""The site's search index: what a learner types (a tensor's name, dlogits, a chapter's title or
one of its sections) and where it leads. A tensor's name leads first to the chapter that derives
its gradient one step at a time, then to a fused chapter that derives it again, then to the
chapters whose step reads it."""
import json
import re

from .facts import file_comment


def sections_of(chapter):
    """(label, title) of the sections of a chapter's derivation (its header's file comment)."""
    text = file_comment(chapter.file(chapter.header.split("/")[1]))
    return re.findall(r"^@section (\w+) (.+)$", text, flags=re.M)


def search_entries(chapters):
    entries = []

    def add(key, chapter, detail, rank, anchor=""):
        entries.append({"key": key.lower(), "title": f"Chapter {chapter.number:02d}: {chapter.name}",
                        "detail": detail, "url": f"{chapter.label}.html{anchor}", "rank": rank})

    for c in chapters:
        fused = bool(c.info.get("composes"))
        for g in c.list("grads"):
            rank = 1 if fused else 0
            add(g, c, f"derives d{g}" + (" in one step" if fused else ""), rank)
            add(f"d{g}", c, f"derives d{g}" + (" in one step" if fused else ""), rank)
        for name in c.list("inputs"):
            add(name, c, f"its step reads {name}", 2)
        add(c.name, c, c.title, 3)
        for word in re.findall(r"[A-Za-z_][A-Za-z_0-9]{2,}", c.title):
            add(word, c, c.title, 4)
        for label, title in sections_of(c):
            add(title, c, f"section: {title}", 5, "#" + label)
    return entries


def search_index(chapters):
    """The JavaScript file the site's search box reads."""
    entries = search_entries(chapters)
    return "// Written by docs/make_site.py: what the search box finds.\nvar ninjaSearchIndex = " + \
        json.dumps(entries, indent=0) + ";\n"
