"""A chapter's page.dox, read: its text (sections `step`, `results` and its own), and the lines
the site generator takes out of it:

  @filecomment PATH      the file comment of chapters/PATH (another file of the chapter's)
  @caption dX SENTENCE   the caption of the picture of dX: in one sentence, what to see in it
  @backward PATTERN      the lecture's backward line(s) of the chapter, for the cheat sheet, up
  ...                    to @endbackward; PATTERN is the cheat sheet's group (cheatsheet.py)
  @endbackward
"""
import re

from .facts import fail, file_comment


class PageDox:
    """The parts of a chapter's page.dox: `step` (its first section, without its heading),
    `own` (the sections between, [(label, title, body)]), `results` (the section `results`,
    (label, title, body)), `captions` {dX: sentence}, `backward` (lines) and `pattern`."""

    def __init__(self, chapter):
        where = f"chapters/{chapter.folder}/page.dox"
        text = chapter.file("page.dox").strip()
        if not (text.startswith("/**") and text.endswith("*/")):
            fail(f"{where} must be one /** ... */ comment")
        text = text[3:-2].strip() + "\n"
        self.captions = {}
        for name, sentence in re.findall(r"^@caption (\w+) ((?:.+\n)+?)(?=\n|@|\Z)", text, re.M):
            self.captions[name] = " ".join(sentence.split())
        text = re.sub(r"^@caption \w+ (?:.+\n)+?(?=\n|@|\Z)", "", text, flags=re.M)
        self.pattern, self.backward = "", []
        found = re.search(r"^@backward ([\w-]+)\n(.*?)^@endbackward\n", text, re.M | re.S)
        if found:
            self.pattern = found.group(1)
            self.backward = [line for line in found.group(2).splitlines() if line.strip()]
            text = text[:found.start()] + text[found.end():]
        text = re.sub(r"^@filecomment (\S+)$",
                      lambda m: file_comment((chapter.root / "chapters" / m.group(1)).read_text()),
                      text, flags=re.M)
        parts = re.split(r"^\\section (\w+)(?: (.*))?$", text, flags=re.M)
        if parts[0].strip():
            fail(f"{where} must begin with a section `step`")
        sections = [(parts[k], parts[k + 1] or "", parts[k + 2].strip("\n") + "\n")
                    for k in range(1, len(parts), 3)]
        labels = [label for label, _, _ in sections]
        if not labels or labels[0] != "step" or "results" not in labels:
            fail(f"{where} must begin with a section `step` and have a section `results`")
        self.step = sections[0][2]
        self.results = next(s for s in sections if s[0] == "results")
        self.own = [s for s in sections[1:] if s[0] != "results"]
