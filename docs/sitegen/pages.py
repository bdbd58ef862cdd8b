"""The pages of the site: each chapter's page from its page.dox, the file comment of its header
(the derivation), its code, its exercise, its program's help and output, its pictures; and the
main page with the list of the chapters and the forward graph."""
import re

from .facts import exercise_slot, fail, file_comment
from .graph import chapter_graph, forward_graph

VERDICTS = """| verdict | what it means | exit code |
|---|---|---|
| `correct` | yours equals the reference bit for bit (chapter 23: every step's loss) | 0 |
| `correct up to rounding` | `torch.allclose` holds, not bit for bit: another order of float operations | 0 |
| `wrong: ...` | a value or a shape differs; the line says where, and how the error is shaped | 1 |
| `not started` | the slot still throws `NotImplemented` | 3 |
"""


def page_text(chapter):
    """chapters/NN_name/page.dox without its comment markers, its section labels made the
    chapter's own (`results` becomes `chapter_NN_results`)."""
    text = chapter.file("page.dox").strip()
    if not (text.startswith("/**") and text.endswith("*/")):
        fail(f"chapters/{chapter.folder}/page.dox must be one /** ... */ comment")
    text = text[3:-2].strip() + "\n"
    # `@filecomment PATH`: the file comment of chapters/PATH (another file of the chapter's).
    text = re.sub(r"^@filecomment (\S+)$",
                  lambda m: file_comment((chapter.root / "chapters" / m.group(1)).read_text()),
                  text, flags=re.M)
    prefix = chapter.label + "_"
    text = re.sub(r"^\\(section|subsection) (\w+)", lambda m: f"\\{m.group(1)} {prefix}{m.group(2)}",
                  text, flags=re.M)
    if not text.startswith(f"\\section {prefix}step\n"):
        fail(f"chapters/{chapter.folder}/page.dox must begin with a section `step`")
    return text.replace(f"\\section {prefix}step\n", f"\\section {prefix}step The step: {chapter.title}\n", 1)


def split_results(text, chapter):
    at = text.find(f"\\section {chapter.label}_results")
    if at < 0:
        fail(f"chapters/{chapter.folder}/page.dox has no section `results`")
    return text[:at].rstrip() + "\n", text[at:].rstrip() + "\n"


def code_section(chapter, before):
    """The code of the step: folded behind "show the solution" when the chapter is an exercise."""
    if f"\\section {chapter.label}_code" in before:
        return ""
    if "// [step]" not in chapter.file(chapter.header.split("/")[1]):
        fail(f"chapters/{chapter.header} marks no [step] and page.dox has no code section")
    snippet = f"\\snippet {chapter.header} step\n"
    text = f"\n\\section {chapter.label}_code The code\nFrom `chapters/{chapter.header}`:\n"
    if "exercise" not in chapter.info:
        return text + snippet
    return (text + "It is the answer to the exercise above: try the exercise first.\n"
            "<details><summary>show the solution</summary>\n" + snippet + "</details>\n")


def aligned(commands):
    """Shell lines `command  # comment`, the comments in one column."""
    width = max(len(c) for c, _ in commands) + 2
    return "\n".join(f"{c:<{width}}# {comment}" for c, comment in commands)


def exercise_section(chapter):
    if "exercise" not in chapter.info:
        return ""
    slot = exercise_slot(chapter.file("exercise.hpp"))
    if slot is None:
        fail(f"chapters/{chapter.folder}/exercise.hpp has no answer slot")
    number, program = f"{chapter.number:02d}", chapter.program
    verdict = f"build/exercises/chapters/{program} {chapter.info.get('grade', '')}".rstrip()
    hints = chapter.info.get("hints", "0")
    by_hand = aligned([("cmake --preset exercises", "once"),
                       (f"cmake --build --preset exercises --target {program}", "after each edit"),
                       (verdict, "the verdict"),
                       (f"build/exercises/chapters/{program} --hint 1", f"hint 1 of {hints}"),
                       (f"ctest --test-dir build/exercises -R chapter_{number}",
                        "the thorough checks")])
    return f"""
\\section {chapter.label}_exercise Your turn
Find it yourself: {chapter.info['goal'].rstrip('.')}. Write your step in `{chapter.info['exercise']}`, between
the two marker lines of this function:
\\code{{.cpp}}
{slot}
\\endcode
Then, from the repository's root, start the loop on this chapter: it grades the file each time
you save it, gives hints one at a time, and moves on once you are right (the \\ref exercises
page has the whole workflow):
\\verbatim
tools/exercises.py goto {number}
\\endverbatim
By hand, the same steps:
\\verbatim
{by_hand}
\\endverbatim
The program ends with a verdict:

{VERDICTS}"""


def run_section(chapter):
    program = f"build/release/chapters/{chapter.program}"
    quick = chapter.info.get("quick")
    lines = [f"{program}    # " + ("the lecture's whole run" if quick else "as on this page")]
    if chapter.info.get("grads") and "exercise" in chapter.info:
        lines += [f"{program} --all    # the whole table so far",
                  f"{program} --out pictures    # the pictures, into pictures/",
                  f"{program} --reference numerical --seed 7 --batch-size 5"]
    if quick:
        lines.append(f"{program} {quick} --out pictures    # the shorter run shown on this page")
    text = "\n".join(lines)
    return (f"\n\\section {chapter.label}_run Running it\nAfter `tools/workbook.sh` (or "
            "`cmake --workflow --preset release`), from the repository's root:\n"
            f"\\verbatim\n{text}\n\\endverbatim\nEvery option, as `--help` lists them:\n"
            f"\\verbinclude {chapter.folder}.help\n")


def pictures_section(chapter):
    pictures = chapter.list("pictures")
    if not pictures:
        return ""
    images = "\n".join(f'\\image html {p} "d{g}"' for p, g in zip(pictures, chapter.list("grads")))
    grads = ", ".join(f"`d{g}`" for g in chapter.list("grads"))
    return (f"\n\\section {chapter.label}_pictures The picture\n{grads} on the lecture's batch: "
            "white is zero, red positive, blue negative, on a square-root scale so that the small "
            "entries show beside the large ones.\n" + images + "\n")


def chapter_page(chapter, chapters, tensors):
    text = page_text(chapter)
    before, results = split_results(text, chapter)
    second = before.find("\\section ", 1)  # the step section, then the page's own sections
    step, own = (before, "") if second < 0 else (before[:second], before[second:])
    k = chapters.index(chapter)
    out = [f"\\page {chapter.label} Chapter {chapter.number:02d}: {chapter.name}\n", step]
    if chapter.list("grads") and "exercise" in chapter.info:
        out.append(f"\\dot\n{chapter_graph(chapter, tensors, chapters)}\n\\enddot\n")
    out.append("\n" + file_comment(chapter.file(chapter.header.split("/")[1])))
    out += [exercise_section(chapter), code_section(chapter, before), "\n" + own,
            run_section(chapter)]
    out.append(f"\n\\section {chapter.label}_output The output\nWhat `{chapter.program}` printed "
               f"when this site was built:\n\\verbinclude {chapter.program}.txt\n")
    out += [pictures_section(chapter), "\n" + results]
    back = (f'\\ref {chapters[k - 1].label} "« Chapter {chapters[k - 1].number:02d}: '
            f'{chapters[k - 1].name}"' if k > 0 else "")
    ahead = (f'\\ref {chapters[k + 1].label} "Chapter {chapters[k + 1].number:02d}: '
             f'{chapters[k + 1].name} »"' if k + 1 < len(chapters) else "")
    out.append(f'\n<div class="chapter-nav">\n<span>{back}</span>\n<span>\\ref index "Contents"'
               f"</span>\n<span>{ahead}</span>\n</div>\n")
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


def main_page(template, chapters, tensors):
    """docs/mainpage.dox with the list of chapters and the forward graph filled in."""
    for key in ("@CHAPTER_LIST@", "@FORWARD_GRAPH@"):
        if key not in template:
            fail(f"docs/mainpage.dox has no {key}")
    listing = "\n".join(f'- <b>{c.number:02d}</b> \\ref {c.label} "{c.name}": {c.title}'
                        for c in chapters)
    graph = f"\\dot\n{forward_graph(tensors, chapters)}\n\\enddot"
    return template.replace("@CHAPTER_LIST@", listing).replace("@FORWARD_GRAPH@", graph)
