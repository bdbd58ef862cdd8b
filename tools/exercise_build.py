"""The exercises build, for tools/exercises.py and tools/progress.sh: configuring and building a
chapter, running its program and its test, what the learner has solved (a small JSON file in
the build folder), and each chapter's status for `list`.

A status is one of: solved (correct, and the chapter's test passed on this very exercise.hpp),
correct (the program says so; the test has not run on it yet), wrong, not started,
does not compile, not built, out of date (the program is older than the sources it is built
from: it would grade an old answer, so it is not run).
"""
import hashlib
import json
import os
import pathlib
import re
import subprocess
import time

import exercise_files
from exercise_run import Background, run

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Time limits, in seconds. A chapter's program stops the learner's code itself after ten times
# the solution's time (at least 10 s) and says so; a test of a chapter takes a few seconds. These
# limits are the last resort, for a program or test that never ends all the same.
PROGRAM_LIMIT = 120
TEST_LIMIT = 120
BUILD_LIMIT = 1800


class Chapter:
    """One exercise: its folder, its program and test, and its file's content right now."""

    def __init__(self, folder):
        self.folder = folder
        self.name = folder.name                   # "08_logits"
        self.number = self.name[:2]               # "08"
        self.program = f"chapter_{self.name}"
        self.test = f"test_chapter_{self.name}"
        self.exercise = folder / "exercise.hpp"

    def digest(self):
        """The SHA-256 of the exercise as it is now."""
        return hashlib.sha256(self.exercise.read_bytes()).hexdigest()

    def relative(self):
        """"chapters/08_logits/exercise.hpp"."""
        return str(self.exercise.relative_to(ROOT))


def chapters():
    """Every exercise, in order."""
    return [Chapter(f) for f in exercise_files.chapters(ROOT)]


class Build:
    """The exercises build folder and the learner's record in it."""

    def __init__(self, folder, console=None):
        self.folder = pathlib.Path(folder).resolve()
        self.console = console  # the learner's typing, read while a command runs
        self.background = Background()
        self.record_path = self.folder / "exercise-record.json"
        self.record = {"solved": {}, "checks_failed": {}, "does_not_compile": {}, "hints": {},
                       "current": None, "verdicts": {}}
        if self.record_path.exists():
            self.record.update(json.loads(self.record_path.read_text()))

    def save(self):
        self.record_path.write_text(json.dumps(self.record, indent=1, sort_keys=True) + "\n")

    def configured(self):
        cache = self.folder / "CMakeCache.txt"
        return cache.exists() and "NINJA_EXERCISES:BOOL=ON" in cache.read_text()

    def configure(self):
        """Configures the folder with the `exercises` preset (the first time)."""
        if self.configured():
            return
        if (self.folder / "CMakeCache.txt").exists():
            raise SystemExit(f"{self.folder} is not an exercises build (NINJA_EXERCISES is off)")
        subprocess.run(["cmake", "--preset", "exercises", "-B", str(self.folder)], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)

    def run(self, command, limit, busy):
        """Runs a command of the loop, responsive to the learner's typing (exercise_run.run)."""
        return run(command, limit, self.console, busy)

    def build(self, *targets):
        """Builds the targets: (True, "") or (False, the compiler's output). The background
        build is paused meanwhile: two builds must not share a folder."""
        with self.background.paused():
            r = self.run(["cmake", "--build", str(self.folder), "--target", *targets],
                         BUILD_LIMIT, "the build")
        return r.code == 0, r.output

    def prefetch(self, *targets):
        """Builds the targets in the background, at the lowest priority, until a command of the
        loop needs the build folder (then it goes on after it), keeping going past a target that
        does not compile."""
        self.background.start(["cmake", "--build", str(self.folder), "--target", *targets,
                               "--", "-k", "0"])

    def path(self, chapter, test=False):
        return self.folder / ("tests" if test else "chapters") / (
            chapter.test if test else chapter.program)

    def info(self, chapter):
        """The program's --info as a dict (title, goal, forward, shapes, hints, grade, ...)."""
        try:
            p = subprocess.run([str(self.path(chapter)), "--info"], capture_output=True, text=True)
        except OSError:  # not there, or not a complete program (yet)
            return {}
        return dict(line.split(": ", 1) for line in p.stdout.splitlines() if ": " in line)

    def grade(self, chapter):
        """Runs the chapter's program as grading does: (exit code, output). A program that ends
        without a verdict (a signal, the last-resort limit) gets one."""
        grade_args = self.info(chapter).get("grade", "").split()
        r = self.run([str(self.path(chapter)), *grade_args], PROGRAM_LIMIT, "the verdict")
        code, output = r.code, r.output
        if code is None and not r.timed_out:  # it could not be started
            return (exit_codes(self)["exit_internal_error"],
                    output + "verdict: not graded: the chapter's program could not be started\n")
        if r.timed_out:
            return 1, output + f"verdict: wrong: the program did not finish within {PROGRAM_LIMIT} s\n"
        if code is not None and code < 0 and not verdict_line(output):
            return 1, output + f"verdict: wrong: the program was ended by signal {-code}\n"
        return code, output

    def run_test(self, chapter):
        """Runs the chapter's test: (passed, the lines that say what failed first)."""
        r = self.run([str(self.path(chapter, test=True)), "--log_level=error",
                      "--report_level=no", "--color_output=no"], TEST_LIMIT, "the thorough checks")
        if r.timed_out:
            return False, [f"they did not finish within {TEST_LIMIT} s: does your step loop "
                           "without end on some input (another batch size, a tie)?"]
        return r.code == 0, first_failure(r.output)

    def out_of_date(self, chapter):
        """True when a source the program was built from is newer than the program."""
        program = self.path(chapter)
        built = program.stat().st_mtime
        objects = self.folder / "chapters" / "CMakeFiles" / f"{chapter.program}.dir"
        newest = chapter.exercise.stat().st_mtime
        for obj in objects.rglob("*.o"):
            p = subprocess.run(["ninja", "-C", str(self.folder), "-t", "deps",
                                str(obj.relative_to(self.folder))], capture_output=True, text=True)
            for line in p.stdout.splitlines()[1:]:
                dep = pathlib.Path(line.strip())
                if dep.is_absolute() and dep.exists():
                    newest = max(newest, dep.stat().st_mtime)
        return newest > built

    def status(self, chapter, exit_codes):
        """(status, the verdict's line or "") of a chapter, running its program if it is built
        and up to date (a verdict already seen for this file and this program is reused)."""
        digest, name, record = chapter.digest(), chapter.name, self.record
        broken = record["does_not_compile"].get(name) == digest
        if not os.access(self.path(chapter), os.X_OK):  # not there, or not linked to the end
            return ("does not compile" if broken else "not built"), ""
        if self.out_of_date(chapter):
            return ("does not compile" if broken else "out of date"), ""
        key = f"{digest} {self.path(chapter).stat().st_mtime_ns}"
        seen = record["verdicts"].get(name)
        if not seen or seen[0] != key:
            code, output = self.grade(chapter)
            seen = record["verdicts"][name] = [key, code, verdict_line(output)]
        code, line = seen[1], seen[2]
        if code == exit_codes["exit_not_started"]:
            return "not started", ""
        if code == exit_codes["exit_mismatch"]:
            return "wrong", line
        if code != exit_codes["exit_ok"]:
            return f"error (exit {code})", line
        if record["solved"].get(name) == digest:
            return "solved", line
        if record["checks_failed"].get(name) == digest:
            return "wrong", "the chapter's test fails"
        return "correct", "its test has not run on this answer yet"


def verdict_line(output):
    """The verdict, without "verdict: ", from a program's output ("" if there is none). The
    program prints it last: the verdict lines at the end of the output (with their indented
    lines), of which the first is the telling one; a line that the learner's code printed comes
    before them."""
    lines = output.splitlines()
    last = next((k for k in reversed(range(len(lines))) if lines[k].startswith("verdict: ")), None)
    if last is None:
        return ""
    first = last
    for k in reversed(range(last)):
        if lines[k].startswith("verdict: "):
            first = k
        elif not lines[k].startswith("  "):
            break
    return lines[first][len("verdict: "):]


def first_failure(output, most=6):
    """The first failed check of a Boost.Test run, a few lines: the check with its file and line
    (paths from tests/ on), and the context lines that Boost.Test prints after it."""
    lines = output.splitlines()
    at = next((k for k, line in enumerate(lines)
               if re.search(r": (fatal |critical )?error: ", line)), None)
    if at is None:
        return lines[-most:]
    shown = [re.sub(r"^.*?/tests/", "tests/", lines[at])[:400]]
    for line in lines[at + 1:]:
        if re.search(r": (fatal |critical )?error: ", line) or len(shown) == most:
            break
        shown.append(line[:200])
    failures = sum(1 for line in lines if re.search(r": (fatal |critical )?error: ", line))
    if failures > 1:
        shown.append(f"(and {failures - 1} more failed check{'s' if failures > 2 else ''})")
    return shown


def first_error(output):
    """The compiler's first error, trimmed to the learner's file when it is about it: the
    location in exercise.hpp (the error's own, or the `required from here` that leads to it),
    the message, and the source line g++ shows."""
    lines = [line.replace(str(ROOT) + "/", "") for line in output.splitlines()]
    at = next((k for k, line in enumerate(lines) if ": error: " in line), None)
    if at is None:
        return "\n".join(lines[-15:])
    error = lines[at]
    message = error.split(": error: ", 1)[1]
    if "exercise.hpp:" in error.split(": error: ")[0]:
        shown = [error]
        for line in lines[at + 1:at + 4]:
            if re.match(r"^\s*(\d+\s*)?\|", line):
                shown.append(line)
        return "\n".join(shown)
    here = [line for line in lines[:at] if "exercise.hpp:" in line]
    location = here[-1].split(": ")[0] if here else error.split(": error: ")[0]
    return f"{location}: error: {message[:400]}"


def elapsed(start):
    return f"{time.monotonic() - start:.1f} s"


def exit_codes(build):
    return exercise_files.exit_codes(build.folder)
