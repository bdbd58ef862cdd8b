"""The exercises' files, for the scripts of tools/: the answer slot of chapters/NN_name/exercise.hpp
(read, replaced, made blank again), the solution's body of the same step, and the chapters.

Used by tools/exercises.py (the loop), tools/check-exercises.sh (the solutions pasted into the
slots) and tools/check_mutants.py (typical mistakes pasted into the slots). As a program:
    python3 tools/exercise_files.py paste-solutions ROOT   (every slot under ROOT gets its solution)
"""
import pathlib
import re
import sys
import textwrap

BELOW, ABOVE = "// ---- your answer below ----", "// ---- your answer above ----"
BLANK = "throw NotImplemented();"  # what an untouched slot holds

# A step function: `template <class T>` (or none, for chapter 23's), its return type, name and
# parameters, and the opening brace of its body.
SIGNATURE = r"^(?:template <class T>\n)?(?:inline )?(\w[\w:<>]*) (\w+)\(([^;{}]*?)\) \{$"


class ExerciseError(Exception):
    """An exercise file that does not have the form the workbook gives it."""


def exit_codes(build):
    """The exit codes of the programs, from <build>/exit-codes.sh: {"exit_ok": 0, ...}."""
    codes = {}
    for line in (pathlib.Path(build) / "exit-codes.sh").read_text().splitlines():
        if re.match(r"^exit_\w+=\d+$", line):
            name, value = line.split("=")
            codes[name] = int(value)
    return codes


def chapters(root):
    """The chapter folders that hold an exercise, in order: [Path('chapters/01_logprobs'), ...]."""
    return sorted(p.parent for p in pathlib.Path(root).glob("chapters/[0-9][0-9]_*/exercise.hpp"))


def split_slot(text):
    """(head, body, tail) of an exercise: the text up to the end of the BELOW marker's line, the
    slot's lines, and the text from the start of the ABOVE marker's line."""
    if text.count(BELOW) != 1 or text.count(ABOVE) != 1:
        raise ExerciseError("exercise.hpp must hold one answer slot between the two marker lines")
    head_end = text.index("\n", text.index(BELOW)) + 1
    tail_start = text.rindex("\n", 0, text.index(ABOVE)) + 1
    return text[:head_end], text[head_end:tail_start], text[tail_start:]


def slot_indent(text):
    """The indentation of the marker lines: the slot's lines get it too."""
    head, _, _ = split_slot(text)
    marker_line = head[head.rindex("\n", 0, len(head) - 1) + 1:]
    return marker_line[:len(marker_line) - len(marker_line.lstrip())]


def with_slot_body(text, body):
    """The exercise with `body` (any indentation; it is re-indented) in its slot."""
    head, _, tail = split_slot(text)
    indent = slot_indent(text)
    lines = textwrap.dedent(body).strip("\n").split("\n")
    return head + "".join((indent + line).rstrip() + "\n" for line in lines) + tail


def slot_body(text):
    """What the slot holds, dedented and stripped: BLANK when untouched."""
    return textwrap.dedent(split_slot(text)[1]).strip()


def is_blank(text):
    """True when the slot holds BLANK and nothing else."""
    return slot_body(text) == BLANK


def matching_brace(text, start):
    """Index of the '}' closing the '{' at `start`, skipping comments and literals."""
    depth, i = 0, start
    while i < len(text):
        if text.startswith("//", i):
            i = text.index("\n", i)
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
            continue
        elif text[i] in "\"'":
            quote, i = text[i], i + 1
            while text[i] != quote:
                i += 2 if text[i] == "\\" else 1
        elif text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ExerciseError("unbalanced braces")


def signature(match):
    """(return type, name, parameters with whitespace normalised) of a SIGNATURE match."""
    return match.group(1), match.group(2), " ".join(match.group(3).split())


def exercise_step(text):
    """The signature of the function whose body holds the answer slot."""
    slot = text.index(BELOW)
    matches = list(re.finditer(SIGNATURE, text[:slot], re.S | re.M))
    if not matches:
        raise ExerciseError("no step function around the answer slot")
    return signature(matches[-1])


def solution_header(folder):
    """The solution's header of a chapter folder NN_name: name.hpp, as for CMake."""
    header = folder / (folder.name[3:] + ".hpp")
    if not header.exists():
        raise ExerciseError(f"{folder.name} has no solution header {header.name}")
    return header


def solution_body(folder):
    """The body of the solution's function with the exercise's step's signature, dedented."""
    wanted = exercise_step((folder / "exercise.hpp").read_text())
    header = solution_header(folder)
    text = header.read_text()
    for m in re.finditer(SIGNATURE, text, re.S | re.M):
        if signature(m) == wanted:
            close = matching_brace(text, m.end() - 1)
            return textwrap.dedent(text[m.end() + 1:text.rindex("\n", 0, close) + 1])
    raise ExerciseError(f"{header.name} has no step {wanted[0]} {wanted[1]}({wanted[2]})")


def paste_solutions(root):
    """Pastes each solution's body into its exercise's slot; returns the number of failures."""
    failures = 0
    for folder in chapters(root):
        exercise = folder / "exercise.hpp"
        try:
            exercise.write_text(with_slot_body(exercise.read_text(), solution_body(folder)))
            print(f"pasted the solution into {folder.name}/exercise.hpp")
        except ExerciseError as e:
            print(f"FAIL {folder.name}: {e}")
            failures += 1
    return failures


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "paste-solutions":
        sys.exit("usage: exercise_files.py paste-solutions ROOT")
    sys.exit(1 if paste_solutions(sys.argv[2]) else 0)
