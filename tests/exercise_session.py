#!/usr/bin/env python3
"""A scripted session of the exercise loop (tools/exercises.py), without a terminal: the learner
saves a wrong answer, then one that never ends (and asks for a hint while it is graded), then
the right one, in chapter 01; a wrong and the right answer in chapter 02 (the loop moves on by
itself); asks for a hint in chapter 03, saves a wrong answer there and one that forgets
xt::keep_dims, resets it, lists the chapters, declines the solution, and quits. The transcript,
with paths and timings normalised, must be tests/exercise_session.txt.

The wrong answers are typical mistakes of chapters/NN_name/mutants.txt, the right ones the solutions' bodies.
Every slot of ROOT is made blank first, and the learner's record is removed.

usage: tests/exercise_session.py ROOT BUILD [--update]
       (ROOT: a copy of the tree whose exercises may be rewritten; BUILD: its exercises build;
       --update: write the transcript as the expected one)
"""
import difflib
import pathlib
import queue
import re
import subprocess
import sys
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tools"))
import exercise_files  # noqa: E402
import check_mutants  # noqa: E402

PROMPT = "-- watching "
TIMEOUT = 300  # seconds for one step (a chapter's test builds in about 10 s)


class Session:
    """The loop as a child process: what it prints, line by line, and what is typed to it."""

    def __init__(self, root, build, *args):
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, str(root / "tools" / "exercises.py"), "--build", str(build), *args],
            cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, bufsize=1)
        self.lines = queue.Queue()
        self.transcript = []
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def until(self, text):
        """Everything printed up to the next line that starts with `text`."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                line = self.lines.get(timeout=max(1, deadline - time.monotonic()))
            except queue.Empty:
                self.fail(f"no line '{text}...' came within {TIMEOUT} s")
            if line is None:
                self.fail(f"the loop ended while a line '{text}...' was awaited")
            self.transcript.append(line)
            if line.startswith(text):
                return

    def fail(self, why):
        """Ends the check with the transcript's last lines and `why`."""
        self.process.kill()
        tail = "\n".join(self.transcript[-40:])
        raise SystemExit(f"{tail}\n(the last lines of the transcript, above)\n{why}")

    def type(self, line, then=PROMPT):
        self.transcript.append(f"> {line}")
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        if then:
            self.until(then)

    def save(self, chapter, body, what, then=PROMPT):
        """The learner saves `body` in the chapter's slot; the loop answers."""
        self.transcript.append(f"[saves {what} in chapters/{chapter}/exercise.hpp]")
        exercise = self.root / "chapters" / chapter / "exercise.hpp"
        exercise.write_text(exercise_files.with_slot_body(exercise.read_text(), body))
        if then:
            self.until(then)


def mistake(root, chapter, what=""):
    """The body of the first typical mistake of the chapter whose title holds `what`."""
    mutants = check_mutants.read_mutants(root / "chapters" / chapter / "mutants.txt")
    return next(body for title, body in mutants if what in title)


def wrong_answer(root, chapter):
    return mistake(root, chapter)


def right_answer(root, chapter):
    return exercise_files.solution_body(root / "chapters" / chapter)


def normalised(lines, root):
    """Paths relative to the tree, timings as `<t>`, and what runs when a line is typed (the
    build or the verdict, as the timing falls) as `<what>`; without the line that says a
    chapter's program is built, and with the chapters the session never touches as `untouched`,
    since the background build may have built them before, listed as one line."""
    text = "\n".join(line for line in lines if not re.match(r"building chapter_\w+ \.\.\.$", line))
    text = text.replace(str(root) + "/", "")
    # A chapter the session never touches is `out of date` (its slot was made blank after its
    # build) or, once the background build has reached it, `not started`: either way, untouched.
    text = re.sub(r"^(  (?:0[4-9]|[1-9]\d)  \w+ +)(?:out of date|not started|not built)$",
                  r"\1untouched", text, flags=re.M)
    # Those chapters as one line, and the number of exercises as <all>: a chapter added to the
    # workbook leaves the transcript as it is.
    text = re.sub(r"^(?:  \d\d  \w+ +untouched\n)+", "  (every other chapter)  untouched\n", text,
                  flags=re.M)
    text = re.sub(r"is solved \((\d+) of \d+\)", r"is solved (\1 of <all>)", text)
    text = re.sub(r"^(  2 solved, ).*$", r"\1the others not started, not built or out of date",
                  text, flags=re.M)
    text = re.sub(r"^\((the build|the verdict) is running:", "(<what> is running:", text,
                  flags=re.M)
    return re.sub(r"\b\d+\.\d s\b", "<t> s", text) + "\n"


def main(root, build, update):
    root, build = pathlib.Path(root).resolve(), pathlib.Path(build).resolve()
    for folder in exercise_files.chapters(root):
        exercise = folder / "exercise.hpp"
        exercise.write_text(exercise_files.with_slot_body(exercise.read_text(),
                                                          exercise_files.BLANK))
        for backup in folder.glob("exercise.hpp.attempt-*"):
            backup.unlink()
    (build / "exercise-record.json").unlink(missing_ok=True)
    s = Session(root, build)
    s.until(PROMPT)
    s.save("01_logprobs", wrong_answer(root, "01_logprobs"), "a wrong answer")
    s.save("01_logprobs", mistake(root, "01_logprobs", "endless"), "an endless loop",
           then="grading ")
    s.type("hint", then="(the ")
    s.until("hint 1 of")
    s.until(PROMPT)
    s.save("01_logprobs", right_answer(root, "01_logprobs"), "the right answer")
    s.save("02_probs", wrong_answer(root, "02_probs"), "a wrong answer")
    s.save("02_probs", right_answer(root, "02_probs"), "the right answer")
    s.type("hint")
    s.save("03_counts_sum_inv", wrong_answer(root, "03_counts_sum_inv"), "a wrong answer")
    s.save("03_counts_sum_inv", mistake(root, "03_counts_sum_inv", "keep_dims"),
           "a sum without keep_dims")
    s.type("reset")
    s.type("list")
    s.type("solution", then="chapter 03 is not solved yet")
    s.type("no")
    s.type("quit", then=None)
    code = s.process.wait(timeout=60)
    backup = root / "chapters" / "03_counts_sum_inv" / "exercise.hpp.attempt-1"
    s.transcript.append(f"[the loop exits with {code}; the backup holds the last answer: "
                        f"{exercise_files.slot_body(backup.read_text()) == mistake(root, '03_counts_sum_inv', 'keep_dims').strip()}]")
    actual = normalised(s.transcript, root)
    expected_path = HERE / "exercise_session.txt"
    if update:
        expected_path.write_text(actual)
        print(f"wrote {expected_path}")
        return 0
    expected = expected_path.read_text()
    if actual == expected:
        print(f"the loop's session is as expected ({len(s.transcript)} lines)")
        return 0
    sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                               "expected", "actual"))
    print("the loop's session differs from tests/exercise_session.txt (above)")
    return 1


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:] == ["--update"]))
