"""No garbled text: every paragraph of the site's pages, compared with the sources it is made
from. A generator that splices two texts (the tail of one sentence glued to the start of
another, as a file comment whose first paragraph was cut in two) leaves a junction that no
source has: a sentence that ends, then one that starts in lower case ("...the three lines above.
raw row-major buffers..."), or a paragraph that starts in lower case. Each such junction must be
found, word for word, in a source (a sentence may start with a name in code: `dbnvar` is ...);
one that is not is a splice."""
import html.parser
import re

from site_check import learner_pages

# The words that end in a full stop without ending a sentence.
ABBREVIATIONS = {"e.g.", "i.e.", "vs.", "etc.", "cf.", "approx."}
PARAGRAPHS = {"p", "li", "td", "th", "dd"}
SKIPPED = {"pre", "script", "style", "code", "iframe", "svg"}


class _Paragraphs(html.parser.HTMLParser):
    """The paragraphs of a page's text block, their code and formulas replaced by a mark."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.current, self.skipping, self.inside = [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag in SKIPPED or "fragment" in classes.split():
            if tag == "code" and not self.skipping:
                self.current.append(" \u00a4 ")
            self.skipping += 1
        elif tag in PARAGRAPHS or tag.startswith("h") and tag[1:].isdigit():
            self.flush()
        if tag == "div" and "textblock" in classes:
            self.inside = 1

    def handle_endtag(self, tag):
        if tag in SKIPPED and self.skipping:
            self.skipping -= 1
        elif tag in PARAGRAPHS or tag.startswith("h") and tag[1:].isdigit():
            self.flush()

    def handle_data(self, data):
        if self.inside and not self.skipping:
            self.current.append(data)

    def flush(self):
        text = "".join(self.current)
        text = re.sub(r"\\\(.*?\\\)|\\\[.*?\\\]|\\begin\{.*?\\end\{\w+\*?\}", " \u00a4 ", text, flags=re.S)
        if text.strip():
            self.paragraphs.append(" ".join(text.split()))
        self.current = []


def paragraphs(path):
    parser = _Paragraphs()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.flush()
    return parser.paragraphs


def words(text):
    """The words of a text as the junctions compare them: markup and comment margins out."""
    text = re.sub(r'\\ref \S+ "([^"]*)"|@ref \S+ "([^"]*)"', r"\1\2", text)
    text = re.sub(r"^\s*(///|//|\*|#)", " ", text, flags=re.M)
    return re.sub(r"[`*\"]|\\f\$", " ", text).split()


def junctions(paragraph):
    """(end of a sentence, start of the next) where the next starts in lower case, and the
    paragraph's first words when they do."""
    tokens = paragraph.split()
    found = []
    start = tokens[:3] if "\u00a4" not in tokens[:3] else tokens[:tokens.index("\u00a4")]
    if len(start) >= 2 and start[0][0].islower():
        found.append(" ".join(start))
    for a, b in zip(tokens, tokens[1:]):
        if a[-1] in ".!?" and a.lower() not in ABBREVIATIONS and b[0].islower() and len(a) > 1:
            found.append(f"{a} {b}")
    return found


def text_checks(site, sources):
    """Every junction of every paragraph of the site's pages is in one of `sources` (the text
    of the files the site is made from)."""
    corpus = " ".join(" ".join(words(s)) for s in sources)
    problems, count, pages = [], 0, learner_pages(site)
    for page in pages:
        for paragraph in paragraphs(page):
            count += 1
            for junction in junctions(paragraph):
                if " ".join(words(junction)) not in corpus:
                    at = paragraph.find(junction)
                    problems.append(f"{page.name}: garbled text, no source has {junction!r}: "
                                    f"...{paragraph[max(0, at - 60):at + 60]}...")
    print(f"text: {count} paragraphs of {len(pages)} pages compared with their sources")
    return problems
