"""The main page: docs/mainpage.dox with where to start, the list of the chapters and the forward
graph filled in; the Exercises page: docs/exercises.md with the exit codes filled in."""
import re

from .facts import fail
from .graph import forward_graph


def main_page(template, chapters, tensors):
    for key in ("@START@", "@CHAPTER_LIST@", "@FORWARD_GRAPH@", "@EXERCISE_RANGE@"):
        if key not in template:
            fail(f"docs/mainpage.dox has no {key}")
    first = next(c for c in chapters if "exercise" in c.info)
    setup = [c for c in chapters if c.number < first.number]
    start = (f'\\ref {first.label} "Chapter {first.number:02d}: {first.name}", {first.title}' +
             (f' (\\ref {setup[0].label} "chapter {setup[0].number:02d}" only rebuilds the '
              "lecture's setup)." if setup else "."))
    def item(c):
        return f'- <b>{c.number:02d}</b> \\ref {c.label} "{c.name}": {c.title}\n'
    listing = "".join(item(c) for c in chapters if not c.beyond_lecture)
    beyond = [c for c in chapters if c.beyond_lecture]
    if beyond:
        listing += ('\n\\ref beyond "Beyond the lecture": what comes next, derived the same way.\n' +
                    "".join(item(c) for c in beyond))
    graph = f"\\dot\n{forward_graph(tensors, chapters)}\n\\enddot"
    return (template.replace("@START@", start).replace("@CHAPTER_LIST@", listing)
            .replace("@FORWARD_GRAPH@", graph)
            .replace("@EXERCISE_RANGE@", exercise_range(chapters)))


def exercise_range(chapters):
    """The chapters that are exercises, "01 to 24": the first and the last with one."""
    numbers = [c.number for c in chapters if "exercise" in c.info]
    return f"{min(numbers):02d} to {max(numbers):02d}"


def exercises_page(template, codes, chapters):
    """docs/exercises.md with each `@exit_name@` replaced by the code of that name in `codes`
    (common/error.hpp's table, as the build writes it into exit-codes.sh), and
    `@exercise_range@` by the chapters that are exercises."""
    template = template.replace("@exercise_range@", exercise_range(chapters))
    def code(match):
        if match.group(1) not in codes:
            fail(f"docs/exercises.md: {match.group(0)} is not an exit code of common/error.hpp")
        return str(codes[match.group(1)])
    return re.sub(r"@(exit_\w+)@", code, template)
