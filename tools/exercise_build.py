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
import pathlib
import re
import subprocess
import time

import exercise_files

ROOT = pathlib.Path(__file__).resolve().parent.parent


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

    def __init__(self, folder):
        self.folder = pathlib.Path(folder).resolve()
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

    def build(self, *targets):
        """Builds the targets: (True, "") or (False, the compiler's output)."""
        p = subprocess.run(["cmake", "--build", str(self.folder), "--target", *targets],
                           capture_output=True, text=True)
        return p.returncode == 0, p.stdout + p.stderr

    def path(self, chapter, test=False):
        return self.folder / ("tests" if test else "chapters") / (
            chapter.test if test else chapter.program)

    def info(self, chapter):
        """The program's --info as a dict (title, goal, forward, shapes, hints, grade, ...)."""
        p = subprocess.run([str(self.path(chapter)), "--info"], capture_output=True, text=True)
        return dict(line.split(": ", 1) for line in p.stdout.splitlines() if ": " in line)

    def run(self, chapter):
        """Runs the chapter's program as grading does: (exit code, output)."""
        grade_args = self.info(chapter).get("grade", "").split()
        p = subprocess.run([str(self.path(chapter)), *grade_args], capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr

    def run_test(self, chapter):
        """Runs the chapter's test: (passed, the lines that say what failed)."""
        p = subprocess.run([str(self.path(chapter, test=True)), "--log_level=error",
                            "--report_level=no"], capture_output=True, text=True)
        failures = [re.sub(r"^.*?/tests/", "tests/", line) for line in
                    (p.stdout + p.stderr).splitlines() if ": error: " in line]
        return p.returncode == 0, failures

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
        if not self.path(chapter).exists():
            return ("does not compile" if broken else "not built"), ""
        if self.out_of_date(chapter):
            return ("does not compile" if broken else "out of date"), ""
        key = f"{digest} {self.path(chapter).stat().st_mtime_ns}"
        seen = record["verdicts"].get(name)
        if not seen or seen[0] != key:
            code, output = self.run(chapter)
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
    """The verdict, without "verdict: ", from a program's output ("" if there is none)."""
    for line in output.splitlines():
        if line.startswith("verdict: "):
            return line[len("verdict: "):]
    return ""


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
