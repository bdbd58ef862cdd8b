"""What the site is made from: the chapters' facts (their programs' --info and --help), the table
of the model's tensors (tensor_facts), and the text of the chapters' files."""
import pathlib
import re
import sys


def fail(message):
    sys.exit(f"make_site: {message}")


class Chapter:
    """One chapter: its folder, what its program says of itself, and its files."""

    def __init__(self, root, facts, folder):
        self.folder = folder
        self.root = root
        self.info = read_info(facts / f"{folder}.info")
        help_file = facts / f"{folder}.help"
        self.help = help_file.read_text() if help_file.exists() else ""
        self.hints = read_hints(facts / f"{folder}.hints", int(self.info.get("hints", "0")))
        self.number = int(self.info["chapter"])
        self.label = f"chapter_{self.number:02d}"
        self.program = self.info["program"]
        self.header = f"{folder}/{folder[3:]}.hpp"
        if not (root / "chapters" / self.header).exists():
            fail(f"chapters/{self.header} is missing")

    @property
    def name(self):
        return self.folder[3:]

    @property
    def title(self):
        return self.info["title"]

    @property
    def beyond_lecture(self):
        """Whether the chapter works on a model other than the lecture's (24: LayerNorm): the
        sidebar and the main page list it under "Beyond the lecture"."""
        return self.info.get("model", "batchnorm") != "batchnorm"

    def list(self, key):
        """A space-separated --info value as a list."""
        return self.info.get(key, "").split()

    def file(self, relative):
        return (self.root / "chapters" / self.folder / relative).read_text()


def read_info(path):
    """The `key: value` lines of a chapter's --info, as a dict."""
    if not path.exists():
        fail(f"{path} is missing")
    info = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition(": ")
        info[key] = value
    return info


def read_hints(path, count):
    """The hints of a chapter's exercise, as its program gives them (`--hint K` for K = 1, 2,
    ...: "hint K of N:" and the hint's lines indented by two spaces), each as one paragraph."""
    if count == 0:
        return []
    if not path.exists():
        fail(f"{path} is missing")
    hints = []
    for line in path.read_text().splitlines():
        if re.match(r"hint \d+ of \d+:$", line):
            hints.append([])
        elif hints and line.startswith("  "):
            hints[-1].append(line[2:])
        else:
            fail(f"{path}: unexpected line {line!r}")
    if len(hints) != count:
        fail(f"{path} holds {len(hints)} hints, --info says {count}")
    return [" ".join(h) for h in hints]


def read_chapters(root, facts):
    """Every chapter, in the lecture's order (the folders chapters/NN_name sorted)."""
    folders = sorted(p.name for p in (root / "chapters").iterdir()
                     if p.is_dir() and re.match(r"\d\d_", p.name))
    return [Chapter(root, facts, folder) for folder in folders]


class Tensor:
    """A row of the table of tensors: its name, kind (parameter or intermediate), shape in the
    dimension letters, the expression that makes it, its inputs, and the model it belongs to
    ("any", "batchnorm": the lecture's, or "layernorm": chapter 24's)."""

    def __init__(self, name, kind, shape, made, inputs, model):
        self.name, self.kind, self.shape, self.made, self.model = name, kind, shape, made, model
        self.inputs = [tuple(item.split(":", 1)) for item in inputs.split()]  # (name, operation)

    def in_model(self, model):
        return self.model in ("any", model)


def read_tensors(path):
    """The table of the model's tensors (what tensor_facts printed) and the dimension letters:
    {letter: (meaning, the lecture's value or "")}."""
    tensors, dimensions = [], {}
    for line in path.read_text().splitlines():
        fields = line.split("\t")
        if fields[0] == "dimension":
            dimensions[fields[1]] = (fields[2], fields[3] if len(fields) > 3 else "")
        else:
            tensors.append(Tensor(*fields))
    return tensors, dimensions


def file_comment(text):
    """The Doxygen text of a header's file comment: its leading `///` lines without the slashes,
    without `@file` and without the `@brief` paragraph, all of its lines (the page has its own
    title): what follows the first blank line after `@brief`."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("///"):
            break
        lines.append(line[4:] if line.startswith("/// ") else line[3:])
    body, in_brief = [], False
    for line in lines:
        if line.startswith("@file"):
            continue
        if line.startswith("@brief"):
            in_brief = True
        elif in_brief and not line.strip():
            in_brief = False
        if not in_brief:
            body.append(line)
    while body and not body[0].strip():
        body.pop(0)
    return "\n".join(body) + "\n" if body else ""


def comment_sections(text):
    """A file comment (file_comment's text) cut at its `@section LABEL TITLE` lines: the text
    before the first one, and a (label, title, body) per section."""
    parts = re.split(r"^@section (\w+) (.+)$", text, flags=re.M)
    return parts[0], [(parts[k], parts[k + 1], parts[k + 2]) for k in range(1, len(parts), 3)]


def exercise_slot(text):
    """The learner's function in an exercise.hpp: its doc comment, signature and answer slot."""
    below = text.find("// ---- your answer below ----")
    if below < 0:
        return None
    doc = text.rfind("\n\n", 0, below)  # the blank line before the function's doc comment
    end = text.find("\n}", below)
    slot = text[doc + 2:end + 2].strip("\n")
    return "\n".join(line.replace("///", "//", 1) if line.startswith("///") else line
                     for line in slot.splitlines())
