#!/usr/bin/env python3
"""The mutation test of the grader: typical mistakes, pasted into the answer slots, must all be
caught, by the chapter's program (verdict `wrong`, exit 1; run with the arguments its --info
gives as `grade:`, if any) and by the chapter's test (it fails).

The mistakes are in chapters/NN_name/mutants.txt, each after a `== what it gets wrong` line. All of
a chapter's mistakes go into its slot at once, with the solution's body, behind a switch on the
environment variable NINJA_MUTANT_NN (NN: the chapter; 0 or unset: the solution), so that each
chapter's program and test are compiled once, in the exercises build given, for all of its
mutants; a chapter whose step calls other chapters' steps (23) gets their solutions. Mutant 0
must be graded correct: that shows the switch reaches the solution.

Besides, every chapter's test file must reach its own step as `tested::...` only (never as
`backward<N>` or the bare name, which would be the solution's in exercise mode).

usage: tools/check_mutants.py ROOT BUILD [NN ...]   (ROOT: a copy of the tree whose exercise.hpp
       files may be rewritten; BUILD: its exercises build, configured; NN: only these chapters)
"""
import concurrent.futures
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import exercise_files  # noqa: E402
from exercise_build import verdict_line  # noqa: E402
from exercise_run import run as run_bounded  # noqa: E402

# A mutant's program must end with its verdict (the program stops the learner's code after at
# least 10 s); a chapter's test takes a few seconds. Past these limits the mutant is stopped: a
# program counts as not caught, a test as failed (an endless loop in the step is a failure).
PROGRAM_LIMIT, TEST_LIMIT = 60, 30


def read_mutants(path):
    """[(what it gets wrong, body)] from a mutants file."""
    mutants, name, lines = [], None, []
    for line in path.read_text().splitlines():
        if line.startswith("#") and name is None:
            continue
        if line.startswith("== "):
            if name is not None:
                mutants.append((name, "\n".join(lines).strip("\n")))
            name, lines = line[3:], []
        elif name is not None:
            lines.append(line)
    if name is not None:
        mutants.append((name, "\n".join(lines).strip("\n")))
    return mutants


def switch_body(number, mutants, solution):
    """The slot's body: mutant k when NINJA_MUTANT_NN is k, else the solution."""
    text = f'const char* const ninja_mutant_text = std::getenv("NINJA_MUTANT_{number}");\n'
    text += "const int ninja_mutant = ninja_mutant_text ? std::atoi(ninja_mutant_text) : 0;\n"
    for k, (_, body) in enumerate(mutants, start=1):
        text += ("if" if k == 1 else "} else if") + f" (ninja_mutant == {k}) {{\n"
        text += "".join("    " + line + "\n" for line in body.split("\n"))
    text += "} else {\n" + "".join("    " + line + "\n" for line in solution.strip("\n").split("\n"))
    return text + "}\n"


def check_test_calls(root, folder):
    """Problems with how the chapter's test file reaches the chapter's own step."""
    test = folder / "test.cpp"
    if not test.exists():
        return [f"{folder.name}/test.cpp is missing"]
    text, number = test.read_text(), int(folder.name[:2])
    step = exercise_files.exercise_step((folder / "exercise.hpp").read_text())[1]
    problems = []
    if re.search(rf"\bbackward<{number}\b", text):
        problems.append(f"{folder.name}/test.cpp calls backward<{number}>: the solution's, in exercise mode")
    for m in re.finditer(rf"(?<![\w:])(\w+::)?{step}\(", text):
        if m.group(1) != "tested::":
            problems.append(f"{folder.name}/test.cpp calls {m.group(0)}: not the learner's (tested::{step})")
    return problems


def run(command, number, mutant, out, limit):
    """Runs a chapter's program or test with NINJA_MUTANT_NN=mutant for at most `limit`
    seconds: (exit code, output; the code is None when it was stopped at the limit)."""
    env = dict(os.environ, **{f"NINJA_MUTANT_{number}": str(mutant)})
    r = run_bounded(command, limit, cwd=out, env=env)
    return r.code, r.output


def check_chapter(build, folder, count, out):
    codes = exercise_files.exit_codes(build)
    """Runs the chapter's program for mutants 0..count and its test for 1..count; returns the
    report lines and the number of failures."""
    program = build / "chapters" / f"chapter_{folder.name}"
    test = build / "tests" / f"test_chapter_{folder.name}"
    info = subprocess.run([str(program), "--info"], capture_output=True, text=True).stdout
    grade = [str(program), *(re.findall(r"^grade: (.*)$", info, re.M) or [""])[0].split(),
             "--out", out]
    lines, failures = [], 0
    number = folder.name[:2]
    code, output = run(grade, number, 0, out, PROGRAM_LIMIT)
    if code != codes["exit_ok"]:
        failures += 1
        lines.append(f"FAIL {folder.name} solution: exit {code}: {verdict_line(output)}")
    for k in range(1, count + 1):
        start = time.monotonic()
        code, output = run(grade, number, k, out, PROGRAM_LIMIT)
        test_code, _ = run([str(test)], number, k, out, TEST_LIMIT)
        caught = code == codes["exit_mismatch"] and verdict_line(output).startswith("wrong")
        ok = caught and test_code != 0
        failures += not ok
        test_result = "stopped at the limit" if test_code is None else f"exit {test_code}"
        lines.append(f"{'ok  ' if ok else 'FAIL'} {folder.name} mutant {k}: program exit {code} "
                     f"({(verdict_line(output) or '(no verdict)')[:90]}); test {test_result}; "
                     f"{time.monotonic() - start:.0f} s")
    return lines, failures


def main(root, build, only):
    root, build = pathlib.Path(root).resolve(), pathlib.Path(build).resolve()
    start = time.monotonic()
    failures, counts = 0, {}
    for folder in exercise_files.chapters(root):
        if only and folder.name[:2] not in only:
            continue
        mutants_file = folder / "mutants.txt"
        for problem in check_test_calls(root, folder):
            print("FAIL", problem)
            failures += 1
        if not mutants_file.exists():
            continue
        mutants = read_mutants(mutants_file)
        if len(mutants) < 3:
            print(f"FAIL {folder.name}/mutants.txt: {len(mutants)} mutants, at least 3 are needed")
            failures += 1
        exercise = folder / "exercise.hpp"
        body = switch_body(folder.name[:2], mutants, exercise_files.solution_body(folder))
        exercise.write_text(exercise_files.with_slot_body(exercise.read_text(), body))
        counts[folder] = len(mutants)
    targets = [f"{kind}_{f.name}" for f in counts for kind in ("chapter", "test_chapter")]
    subprocess.run(["cmake", "--build", str(build), "--target", *targets], check=True,
                   stdout=subprocess.DEVNULL)
    built = time.monotonic()
    with tempfile.TemporaryDirectory() as out, concurrent.futures.ThreadPoolExecutor(
            os.cpu_count() or 2) as pool:
        jobs = [pool.submit(check_chapter, build, f, n, out) for f, n in counts.items()]
        for job in jobs:
            lines, failed = job.result()
            print("\n".join(lines))
            failures += failed
    total = sum(counts.values())
    print(f"mutants: {total} in {len(counts)} chapters, {failures} failure(s); "
          f"built in {built - start:.0f} s, ran in {time.monotonic() - built:.0f} s")
    return 1 if failures or not counts else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
