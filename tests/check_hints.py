#!/usr/bin/env python3
"""No hint gives the formula away: for every chapter with an exercise, no hint of its hints.txt
holds an expression of the solution's step. The hint and the right-hand side of each assignment
to a gradient in the step are cut into tokens (names, numbers, operators; the C++ that only says
"how", such as `xt::` and casts to T, is left out), and no run of more than MOST_SHARED
consecutive tokens of such an expression may stand in a hint. A hint may name the tensors and
say which axis or which rule; it may not write the expression down.

usage: tests/check_hints.py ROOT     (exit 1 and the hints at fault, 0 when none gives it away)
"""
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tools"))
import exercise_files  # noqa: E402

# The longest run of a statement's tokens a hint may share: "dlogits / n", "sum over dim 0" are
# words a hint needs; a fourth token makes it a formula ("dh * (1 - h**2)" is eight).
MOST_SHARED = 3

TOKEN = re.compile(r"[A-Za-z_]\w*|\d+(?:\.\d+)?(?:e-?\d+)?|\*\*|[-+*/@=()^]")
NOISE = {"xt", "std", "T", "auto", "const", "float", "double", "size_t", "keep_dims", "all",
         "static_cast", "std::size_t", "return", "f", "p", "d", "g", "batch"}


def tokens(text):
    """The tokens of `text` that carry the math: names, numbers and operators."""
    return [t for t in TOKEN.findall(text.replace("::", " ")) if t not in NOISE]


def statements(body):
    """The right-hand sides of the step's assignments to a gradient (`dX = ...`, `dX(i, j) -=
    ...`), without comments, as token lists: the formulas a hint must not spell out."""
    code = re.sub(r"//[^\n]*", "", body)
    found = []
    for piece in re.split(r"[;{}]", code):
        m = re.match(r"\s*(?:for\s*\(.*?\)\s*)?(\bd\w+\b[^=]*?)[-+*/]?=(?!=)(.*)", piece, re.S)
        if m and len(tokens(m.group(2))) > 1:
            found.append(tokens(m.group(2)))
    return found


def longest_shared_run(statement, hint):
    """The length of the longest run of consecutive tokens of `statement` found in `hint`."""
    best = 0
    for i in range(len(statement)):
        for j in range(len(hint)):
            k = 0
            while i + k < len(statement) and j + k < len(hint) and statement[i + k] == hint[j + k]:
                k += 1
            best = max(best, k)
    return best


def hints(folder):
    """The hints of a chapter: one paragraph each, comment lines left out."""
    text = "\n".join(line for line in (folder / "hints.txt").read_text().splitlines()
                     if not line.startswith("#"))
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def main(root):
    problems = 0
    for folder in exercise_files.chapters(root):
        body = exercise_files.solution_body(folder)
        # The check can fail: the solution's own text, given as a hint, is caught.
        if any(len(s) > MOST_SHARED for s in statements(body)) and not any(
                longest_shared_run(s, tokens(re.sub(r"//[^\n]*", "", body))) > MOST_SHARED
                for s in statements(body)):
            print(f"{folder.name}: the solution itself would pass as a hint: the check is broken")
            problems += 1
        for k, hint in enumerate(hints(folder), start=1):
            hint_tokens = tokens(hint)
            for statement in statements(body):
                shared = longest_shared_run(statement, hint_tokens)
                if shared > MOST_SHARED:
                    print(f"{folder.name}/hints.txt, hint {k}: it holds {shared} consecutive "
                          f"tokens of the solution's '{' '.join(statement)}'")
                    problems += 1
    print(f"hints: {problems} give the formula away" if problems else
          "hints: none holds an expression of its chapter's solution")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(pathlib.Path(sys.argv[1])))
