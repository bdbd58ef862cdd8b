"""The main page: docs/mainpage.dox with where to start, the list of the chapters and the forward
graph filled in; the Exercises page: docs/exercises.md with the exit codes filled in."""
import re

from .facts import fail
from .graph import forward_graph


def main_page(template, chapters, tensors):
    for key in ("@START@", "@CHAPTER_LIST@", "@FORWARD_GRAPH@"):
        if key not in template:
            fail(f"docs/mainpage.dox has no {key}")
    first = next(c for c in chapters if "exercise" in c.info)
    setup = [c for c in chapters if c.number < first.number]
    start = (f'\\ref {first.label} "Chapter {first.number:02d}: {first.name}", {first.title}' +
             (f' (\\ref {setup[0].label} "chapter {setup[0].number:02d}" only rebuilds the '
              "lecture's setup)." if setup else "."))
    listing = "\n".join(f'- <b>{c.number:02d}</b> \\ref {c.label} "{c.name}": {c.title}'
                        for c in chapters)
    graph = f"\\dot\n{forward_graph(tensors, chapters)}\n\\enddot"
    return (template.replace("@START@", start).replace("@CHAPTER_LIST@", listing)
            .replace("@FORWARD_GRAPH@", graph))


def exercises_page(template, codes):
    """docs/exercises.md with each `@exit_name@` replaced by the code of that name in `codes`
    (common/error.hpp's table, as the build writes it into exit-codes.sh)."""
    def code(match):
        if match.group(1) not in codes:
            fail(f"docs/exercises.md: {match.group(0)} is not an exit code of common/error.hpp")
        return str(codes[match.group(1)])
    return re.sub(r"@(exit_\w+)@", code, template)
