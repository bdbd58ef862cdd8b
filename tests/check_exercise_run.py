#!/usr/bin/env python3
"""The exercise loop's guards against its own background build (tools/exercise_run.py,
tools/exercise_build.py): a build stopped halfway leaves no half-written output and is wholly
gone when `stop` returns; a chapter program that is still being linked (there, but not
executable) is "not built" for `list`, and a program that cannot be started gives a line, not a
crash of the loop.

usage: tests/check_exercise_run.py EXIT_CODES   (a build's exit-codes.sh)
"""
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tools"))
import exercise_build as eb  # noqa: E402
from exercise_run import group_alive, run, stop  # noqa: E402

SLOW_RULE = """rule slow
  command = sh -c 'echo partial > $out; sleep 30; echo whole >> $out'
build out.txt: slow
"""


def check(condition, what, problems):
    if not condition:
        problems.append(what)


def stopped_build(folder, problems):
    """A build stopped while its command writes: the output is removed, the group is gone."""
    (folder / "build.ninja").write_text(SLOW_RULE)
    build = subprocess.Popen(["nice", "-n", "19", "ninja"], cwd=folder,
                             stdout=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 10
    while not (folder / "out.txt").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    check((folder / "out.txt").exists(), "the slow command never started", problems)
    start = time.monotonic()
    stop(build)
    check(time.monotonic() - start < 5, "stop took longer than its two signals", problems)
    check(not group_alive(build.pid), "a process of the stopped build still runs", problems)
    check(not (folder / "out.txt").exists(), "the half-written output was left", problems)


def half_linked_program(folder, exit_codes, problems):
    """A chapter program that is there but not executable yet: `list` says "not built"."""
    chapter = eb.chapters()[0]
    shutil.copyfile(exit_codes, folder / "exit-codes.sh")
    build = eb.Build(folder)
    codes = eb.exit_codes(build)
    program = build.path(chapter)
    program.parent.mkdir(parents=True, exist_ok=True)
    program.write_bytes(b"\x7fELF half")  # what the linker has written so far, mode 0644
    status = build.status(chapter, codes)
    check(status == ("not built", ""), f"a half-linked program is {status}, not 'not built'",
          problems)
    check(build.info(chapter) == {}, "--info of a half-linked program is not empty", problems)
    code, output = build.grade(chapter)
    check(code == codes["exit_internal_error"] and "could not be started" in eb.verdict_line(output),
          f"grading a half-linked program gives {code}: {output!r}", problems)
    r = run([str(folder / "no-such-program")], 10)
    check(r.code is None and "cannot run" in r.output, f"running a missing program: {r.output!r}",
          problems)


def main(exit_codes):
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        stopped_build(pathlib.Path(tmp), problems)
    with tempfile.TemporaryDirectory() as tmp:
        half_linked_program(pathlib.Path(tmp), exit_codes, problems)
    for p in problems:
        print("FAIL", p)
    print("passed" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
