"""A chapter's page, in the order a learner needs it: where the step sits (its part of the
forward graph), the forward line and the shapes, the exercise with its hints one at a time, and
only then the derivation and the code, each folded behind its own "show"; what the program
printed, the pictures with what to see in them, the results. Prev / next at the top and the
bottom. A chapter without an exercise (00) reads straight through; the training chapter (23)
has its loop where the others have their forward line."""
import html

from .facts import comment_sections, exercise_slot, fail, file_comment
from .graph import chapter_graph
from .pagedox import PageDox

# The sections of a header's file comment that set the exercise, shown before it.
SETTING = ("_forward", "_loop")


def html_block(markup):
    """Raw HTML as a block of its own (Doxygen 1.9.4 reopens a <details> written in the page at
    every paragraph; raw, it wraps the paragraphs between). One line: nothing of the comment's
    ` * ` margin gets into it."""
    if "\n" in markup:
        fail(f"html_block takes one line: {markup[:60]!r}")
    return f"\\htmlonly[block]{markup}\\endhtmlonly\n"


def fold(summary, body):
    """`body` folded behind a <summary> that says what it shows."""
    return (html_block(f'<details class="fold"><summary>{html.escape(summary)}</summary>') +
            body.strip("\n") + "\n" + html_block("</details>"))


def heading(label, title):
    """A heading inside a fold (a \\section there would end the fold): the section's label
    stays its anchor."""
    return html_block(f'<h3 class="fold-heading" id="{label}">{html.escape(title)}</h3>')


def nav(chapter, chapters):
    """Previous, where this chapter is, next: "« 12: bnvar_inv", "chapter 13 of 23", ..."""
    k = chapters.index(chapter)
    last = chapters[-1].number
    back = (f'\\ref {chapters[k - 1].label} "« {chapters[k - 1].number:02d}: {chapters[k - 1].name}"'
            if k > 0 else "")
    ahead = (f'\\ref {chapters[k + 1].label} "{chapters[k + 1].number:02d}: {chapters[k + 1].name} »"'
             if k + 1 < len(chapters) else '\\ref cheatsheet "Cheat sheet »"')
    where = (f"chapter {chapter.number} of {last}" if chapter.number > 0
             else f"the setup, before chapter 1 of {last}")
    return (f'\n<div class="chapter-nav">\n<span class="nav-back">{back}</span>\n'
            f'<span class="nav-where">{where} · \\ref index "contents"</span>\n'
            f'<span class="nav-ahead">{ahead}</span>\n</div>\n')


def shapes_section(chapter, tensors):
    shape = {t.name: t.shape for t in tensors}
    found = ", ".join(f"`d{g}` {shape[g]}" for g in chapter.list("grads"))
    return (f"\n\\section {chapter.label}_shapes Shapes\nForward: `{chapter.info['shapes']}`. "
            f"What you find has the shape of its tensor: {found} (the letters: "
            '\\ref cheatsheet_letters "n, V, B, E, H").\n')


def hints_block(hints):
    """The hints, each inside the one before: a learner opens them one at a time."""
    markup = ""
    for k in range(len(hints), 0, -1):
        markup = (f'<details class="hint"><summary>hint {k} of {len(hints)}</summary>'
                  f"<p>{html.escape(hints[k - 1])}</p>{markup}</details>")
    return html_block(f'<div class="hints">{markup}</div>') if hints else ""


def exercise_section(chapter):
    slot = exercise_slot(chapter.file("exercise.hpp"))
    if slot is None:
        fail(f"chapters/{chapter.folder}/exercise.hpp has no answer slot")
    stuck = ("\nStuck? Open the hints one at a time; none of them gives the formula.\n"
             if chapter.hints else "")
    return f"""
\\section {chapter.label}_exercise Your turn
Find it yourself: {chapter.info['goal'].rstrip('.')}. Write your step in `{chapter.info['exercise']}`,
between the two marker lines of this function:
\\code{{.cpp}}
{slot}
\\endcode
From the repository's root, start the exercise loop on this chapter: it grades your file each
time you save it, and moves on once you are right.
\\verbatim
tools/exercises.py goto {chapter.number:02d}
\\endverbatim
The \\ref exercises page has the rest: the verdicts, the same steps by hand, and how to run the
programs.
{stuck}{hints_block(chapter.hints)}"""


def folded_sections(sections, first_title):
    """Header sections inside one fold: each under its heading, but for a first section whose
    title the fold's section already shows."""
    out = ""
    for k, (label, title, body) in enumerate(sections):
        if k > 0 or title != first_title:
            out += heading(label, title)
        out += body.strip("\n") + "\n"
    return out


def derivation_section(chapter, preamble, sections):
    label = next((l for l, _, _ in sections if l.endswith("_derivation")), f"{chapter.label}_derivation")
    body = preamble + folded_sections(sections, "The derivation")
    return f"\n\\section {label} The derivation\n" + fold("show the derivation", body)


def code_section(chapter):
    if "// [step]" not in chapter.file(chapter.header.split("/")[1]):
        fail(f"chapters/{chapter.header} marks no [step] and page.dox has no code section")
    body = f"From `chapters/{chapter.header}`:\n\\snippet {chapter.header} step\n"
    return f"\n\\section {chapter.label}_code The code\n" + fold("show the code", body)


def own_section(chapter, label, title, body, folded):
    head = f"\n\\section {chapter.label}_{label} {title}\n"
    if not folded:
        return head + body
    what = title[0].lower() + title[1:] if title.startswith("The ") else title
    return head + fold(f"show {what}", body)


def output_section(chapter):
    args = " ".join(chapter.info.get(k, "") for k in ("run", "quick")).replace("{out}", ".")
    command = f"{chapter.program} {args}".strip()
    return (f"\n\\section {chapter.label}_output The output\nWhat `{command}` printed when this "
            "site was built:\n"
            f"\\verbinclude {chapter.program}.txt\n")


def pictures_section(chapter, page):
    pictures, grads = chapter.list("pictures"), chapter.list("grads")
    if not pictures:
        return ""
    images = ""
    for picture, grad in zip(pictures, grads):
        caption = page.captions.get(f"d{grad}")
        if not caption or '"' in caption:
            fail(f"chapters/{chapter.folder}/page.dox needs `@caption d{grad} SENTENCE` "
                 "(what to see in the picture, without double quotes)")
        images += f'\\image html {picture} "{caption}"\n'
    title = "The picture" if len(pictures) == 1 else "The pictures"
    return (f"\n\\section {chapter.label}_pictures {title}\nRed is positive, blue negative, white "
            "zero; the colours follow the square root of the size, so that small entries show "
            "beside large ones.\n" + images)


def beyond_page(beyond):
    """The sidebar's "Beyond the lecture": a page whose subpages are the chapters `beyond` it."""
    items = "".join(f'- \\subpage {c.label} "{c.number:02d}: {c.name}": {c.title}\n'
                    for c in beyond)
    return ("\\page beyond Beyond the lecture\n"
            "The lecture ends with chapter 23's training loop. These chapters take its method to "
            "what a learner meets next, each a chapter like the others: a derivation, a step to "
            "write, its checks against PyTorch and float64 differences.\n" + items)


def chapter_page(chapter, chapters, tensors):
    """A chapter's page; the first chapter beyond the lecture brings the page that lists them."""
    beyond = [c for c in chapters if c.beyond_lecture]
    page = chapter_body(chapter, chapters, tensors)
    return as_comment(beyond_page(beyond)) + page if beyond and beyond[0] is chapter else page


def chapter_body(chapter, chapters, tensors):
    """The page of one chapter, as a comment."""
    page = PageDox(chapter)
    preamble, sections = comment_sections(file_comment(chapter.file(chapter.header.split("/")[1])))
    setting = [s for s in sections if s[0].endswith(SETTING)]
    rest = [s for s in sections if not s[0].endswith(SETTING)]
    derivation = any(label.endswith("_forward") for label, _, _ in setting)
    out = [f"\\page {chapter.label} Chapter {chapter.number:02d}: {chapter.name}\n",
           nav(chapter, chapters),
           f"\n\\section {chapter.label}_step The step: {chapter.title}\n{page.step}"]
    if chapter.list("grads") and "exercise" in chapter.info:
        out.append(f"\\dot\n{chapter_graph(chapter, tensors, chapters)}\n\\enddot\n")
    as_sections = "".join(f"\n\\section {l} {t}\n{b}" for l, t, b in setting)
    if "exercise" not in chapter.info:  # the setup: no exercise, nothing to fold
        out.append("\n" + preamble + as_sections + "".join(f"\n\\section {l} {t}\n{b}" for l, t, b in rest))
        out += [own_section(chapter, *s, folded=False) for s in page.own]
    elif derivation:
        out += ["\n" + as_sections, shapes_section(chapter, tensors), exercise_section(chapter),
                derivation_section(chapter, preamble, rest), code_section(chapter)]
        out += [own_section(chapter, *s, folded=True) for s in page.own]
    else:  # the training chapter: its loop, the exercise, the code and what follows training
        out += ["\n" + preamble + as_sections, exercise_section(chapter)]
        out += [own_section(chapter, *s, folded=False) for s in page.own]
        out.append("".join(f"\n\\section {l} {t}\n{b}" for l, t, b in rest))
    label, title, body = page.results
    out += [output_section(chapter), pictures_section(chapter, page),
            f"\n\\section {chapter.label}_{label} {title}\n{body}", nav(chapter, chapters)]
    return as_comment("".join(out))


def as_comment(text):
    """A page as a comment with a ` * ` before every line: Doxygen strips that, and nothing more,
    where it would strip the first `*` of a line that begins with markdown's bold (`**Case 1**`).
    Inside a \\verbatim block Doxygen strips nothing: its lines, and the \\endverbatim that ends
    it, go in as they are."""
    lines, verbatim = [], False
    for line in text.splitlines():
        lines.append(line if verbatim else f" * {line}".rstrip())
        if line.strip().endswith("\\verbatim"):
            verbatim = True
        elif line.strip() == "\\endverbatim":
            verbatim = False
    return "/**\n" + "".join(line + "\n" for line in lines) + " */\n"

