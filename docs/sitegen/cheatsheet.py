"""The cheat sheet: every backward line of the lecture (the `@backward` block of each chapter's
page.dox) beside its forward line and shapes (the chapter's --info), grouped by the pattern it
follows, each linked to its chapter; and the letters of the shapes with their values in the
lecture (tensor_facts). A backward line must assign the chapter's gradients and read nothing but
what the chapter's step reads (--info's inputs), the tensors it differentiates (their shapes),
the minibatch, the letters and PyTorch's words:
a name that is not is a mistake in the line, and fails the build."""
import html
import re

from .facts import fail
from .pagedox import PageDox
from .pages import html_block

# The groups, in the order of the page: (key, heading, the rule in one sentence).
PATTERNS = [
    ("elementwise", "An elementwise function: times its local derivative",
     "Each element reaches the loss through the one element of the output at its place: its "
     "gradient is the upstream gradient times the function's derivative there."),
    ("broadcast-sum", "A broadcast in the forward pass: a sum in the backward pass",
     "A tensor copied along an axis (an (n, 1) column against (n, V), a (1, H) row against "
     "(n, H)) collects the gradients of all its copies: sum the upstream gradient along that "
     "axis, keeping the tensor's shape."),
    ("sum-broadcast", "A sum in the forward pass: a broadcast in the backward pass",
     "Every term of a sum moves it one for one (1/n for a mean): the gradient of the sum is "
     "copied back to each term."),
    ("twice", "A variable used twice: add the paths",
     "A tensor that reaches the loss along several paths gets the sum of the gradients along "
     "each of them."),
    ("index", "An index: scatter-add",
     "Elements picked by index send their gradients back to where they were picked from: an "
     "element picked several times collects the sum, one never picked gets zero."),
    ("matmul", "A matrix product: products with the transposes",
     "The gradient of each factor is the upstream gradient multiplied by the other factor, "
     "transposed so that the shapes line up; a bias broadcast over the rows sums over them."),
    ("view", "A view: the view back",
     "A view computes nothing: its gradient is the upstream gradient seen with the shape it "
     "came from."),
    ("fused", "Whole layers at once",
     "The lecture's Exercises 2 and 3, and LayerNorm beyond it, differentiate several lines as "
     "one function, on paper, and end with one expression."),
]

# What a backward line may name besides the chapter's tensors: PyTorch's words.
TORCH_WORDS = {"torch", "F", "zeros_like", "ones_like", "one_hot", "softmax", "sum", "max",
               "indices", "num_classes", "shape", "view", "clone", "T", "keepdim", "True",
               "range", "index_add_", "Xb", "Yb"}


def check_backward(chapter, lines, letters):
    """Fails unless `lines` assign every gradient of the chapter and read only what it may."""
    where = f"chapters/{chapter.folder}/page.dox: @backward"
    grads = {f"d{g}" for g in chapter.list("grads")}
    allowed = (grads | set(chapter.list("grads")) | set(chapter.list("inputs")) | set(letters) |
               TORCH_WORDS)
    assigned = {m.group(1) for line in lines for m in [re.match(r"(\w+)\s*(?:\[.*\])?\s*[-+/*]?=", line)] if m}
    if assigned != grads:
        fail(f"{where} assigns {sorted(assigned)}, the chapter's gradients are {sorted(grads)}")
    for line in lines:
        for name in re.findall(r"(?<![\w])[A-Za-z_]\w*", line):
            if name not in allowed:
                fail(f"{where}: `{name}` in {line!r} is not one of the chapter's tensors or "
                     "gradients, its step's inputs (--info), the minibatch, a letter of the "
                     "shapes or a word of PyTorch's")


def code(text):
    return f"<code>{html.escape(text)}</code>"


def row(chapter, page):
    link = f'<a href="{chapter.label}.html">{chapter.number:02d}&#160;{html.escape(chapter.name)}</a>'
    forward = "<br/>".join(code(line.strip()) for line in chapter.info["forward"].split(";"))
    return (f'<tr><td class="cheat-chapter">{link}</td><td>{forward}'
            f'<div class="cheat-shapes">{html.escape(chapter.info["shapes"])}</div></td>'
            f'<td>{"<br/>".join(code(line) for line in page.backward)}</td></tr>')


def letters_section(dimensions, chapters):
    """The letters of the shapes, with the lecture's values (H also as chapter 23 trains)."""
    trains = [(c, re.search(r"\bH = (\d+)", c.info.get("shapes", ""))) for c in chapters]
    trains = [(c, m.group(1)) for c, m in trains if m]
    rows = []
    for letter, (meaning, value) in dimensions.items():
        if letter == "1":
            continue
        if "*" in letter:
            a, b = letter.split("*")
            value = f"{letter.replace('*', ' · ')} = {int(dimensions[a][1]) * int(dimensions[b][1])}"
        elif letter == "H" and trains:
            value += f" (chapter {trains[0][0].number:02d} trains with {trains[0][1]})"
        rows.append(f"| `{letter}` | {meaning} | {value} |")
    return ("\n\\section cheatsheet_letters The letters of the shapes\n"
            "| letter | what it counts | in the lecture |\n|---|---|---|\n" + "\n".join(rows) + "\n")


def cheat_sheet(chapters, dimensions):
    entries = {}
    for c in chapters:
        page = PageDox(c)
        if not page.backward:
            continue
        if page.pattern not in dict((k, h) for k, h, _ in PATTERNS):
            fail(f"chapters/{c.folder}/page.dox: @backward {page.pattern}: not a pattern of the "
                 f"cheat sheet ({', '.join(k for k, _, _ in PATTERNS)})")
        check_backward(c, page.backward, dimensions)
        entries.setdefault(page.pattern, []).append(row(c, page))
    derived = [c for c in chapters if c.list("grads") and c.list("pictures")]
    missing = [c.folder for c in derived if not PageDox(c).backward]
    if missing:
        fail(f"no @backward block in the page.dox of {', '.join(missing)}")
    out = ["\\page cheatsheet Cheat sheet\n",
           "Every backward line of the lecture, in PyTorch as the notebook writes it, beside the "
           "line of the forward pass it goes back through, grouped by the pattern it follows. "
           "Each chapter derives its line; the letters are \\ref cheatsheet_letters \"below\".\n"]
    head = "<tr><th>chapter</th><th>forward, and shapes</th><th>backward</th></tr>"
    for key, title, rule in PATTERNS:
        if key in entries:
            out.append(f"\n\\section cheatsheet_{key.replace('-', '_')} {title}\n{rule}\n")
            out.append(html_block(f'<table class="cheat">{head}{"".join(entries[key])}</table>'))
    out.append(letters_section(dimensions, chapters))
    return "/**\n" + "".join(" * " + line + "\n" for line in "".join(out).splitlines()) + " */\n"
