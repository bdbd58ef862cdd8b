#!/usr/bin/env python3
"""The exercise loop: save, verdict, next.

usage: tools/exercises.py [--build DIR] [COMMAND]
  (no command)  build what is needed, show the chapter you were on (at first: the first
                unsolved one), and grade its exercise.hpp every time it is saved; when it is
                right, run the chapter's test, record the chapter as solved and go on to the next
  list          every chapter: solved, correct, wrong, not started, does not compile,
                not built or out of date (--expect S1,S2: exit 1 unless all are S1 or S2)
  hint          the next hint of the current chapter (one at a time)
  next          the loop, from the chapter after the current one
  goto NN       the loop, from chapter NN
  reset [NN]    the current chapter's (or NN's) blank slot back; your attempt is kept in
                exercise.hpp.attempt-K beside it
  solution [NN] the solution's step, once the chapter is solved (else it asks first)
In the loop, type the same commands (and `quit`); Enter grades the file again. While a build or
a verdict runs, `quit` stops it and leaves, Ctrl-C stops it, and other commands wait for it.
The chapters after the current one are built in the background, so that `next` and `goto` are
quick. DIR is the exercises build (default build/exercises, the `exercises` preset's).
"""
import select
import shutil
import subprocess
import sys
import time

import exercise_build as eb
import exercise_files
from exercise_run import Console, Interrupted

PROMPT = "-- watching {file}: save it to get a verdict; commands: hint, list, next, goto NN, " \
         "reset, solution, quit"


def say(*lines):
    print(*lines, sep="\n", flush=True)


class Loop:
    """The learner's session: the current chapter, its grading, and the commands."""

    def __init__(self, build):
        self.build = build
        self.chapters = eb.chapters()
        self.codes = None
        self.graded = None  # the digest of the file as last graded

    def find(self, number):
        """The chapter numbered `number` ("8" or "08"); None, with a message, if there is none."""
        for c in self.chapters:
            if c.number == number.zfill(2):
                return c
        say(f"there is no chapter {number} with an exercise (01 to {self.chapters[-1].number})")
        return None

    def current(self):
        """The current chapter: the one last shown, else the first unsolved."""
        name = self.build.record["current"]
        return (self.find(name[:2]) if name else None) or self.first_unsolved()

    def first_unsolved(self, after=None):
        solved = self.build.record["solved"]
        for c in self.chapters:
            if (after is None or c.number > after.number) and solved.get(c.name) != c.digest():
                return c
        return None

    def after(self, chapter):
        """The chapter after `chapter` (the last one stays the last)."""
        return self.chapters[min(self.chapters.index(chapter) + 1, len(self.chapters) - 1)]

    def prepare(self, chapter):
        """Configures and builds what the chapter's program needs (the first time: everything
        it links, a few minutes); then, in the background, what the learner needs next: this
        chapter's test, the next chapter, and every other chapter's program."""
        self.build.configure()
        self.codes = eb.exit_codes(self.build)
        if not self.build.path(chapter).exists():
            first = not (self.build.folder / "common" / "libninja_program.a").exists()
            say(f"building {chapter.program}" +
                (" (the first time takes a few minutes)" if first else "") + " ...")
        if not self.build.build(chapter.program)[0]:  # a draft that does not compile: the
            self.build.build("ninja_program", "ninja_chapters", "ninja_kernels")  # rest at least
        following = self.after(chapter)
        self.build.prefetch(chapter.test, following.program, following.test, "chapter_programs")

    def show(self, chapter):
        """The chapter's heading: what to find, where, and its page."""
        self.build.record["current"] = chapter.name
        self.build.save()
        info = self.build.info(chapter) if self.build.path(chapter).exists() else {}
        say("", f"== Chapter {chapter.number}: {info.get('title', chapter.name)}",
            f"  forward:  {info.get('forward', '')}", f"  shapes:   {info.get('shapes', '')}",
            f"  find:     {info.get('goal', '')}",
            f"  edit:     {chapter.relative()}  (between the two 'your answer' lines)",
            f"  page:     build/release/docs/html/chapter_{chapter.number}.html", "")

    def grade(self, chapter):
        """Rebuilds the chapter's program, prints the verdict; when it is right, runs the test
        and records the chapter as solved. True when it has just been solved (not when this
        very answer was solved before: then the learner came back to it, and stays)."""
        record, digest = self.build.record, chapter.digest()
        self.graded = digest
        start = time.monotonic()
        say(f"grading {chapter.relative()} ...")
        built, output = self.build.build(chapter.program)
        if not built:
            record["does_not_compile"][chapter.name] = digest
            self.build.save()
            say(f"does not compile ({eb.elapsed(start)}):", eb.first_error(output))
            return False
        record["does_not_compile"].pop(chapter.name, None)
        rebuilt = eb.elapsed(start)
        code, output = self.build.grade(chapter)
        say(output.rstrip("\n"), f"(rebuilt in {rebuilt}, graded in {eb.elapsed(start)})")
        if code != self.codes["exit_ok"] or not eb.verdict_line(output).startswith("correct"):
            self.build.save()
            return False
        if record["solved"].get(chapter.name) == digest:
            say(f"chapter {chapter.number} is solved: this very answer passed its test before")
            return False
        return self.thorough_checks(chapter, digest)

    def thorough_checks(self, chapter, digest):
        """The chapter's test on the right answer; records the outcome."""
        record, start = self.build.record, time.monotonic()
        say(f"correct: now the thorough checks ({chapter.test}) ...")
        built, output = self.build.build(chapter.test)
        passed, failures = self.build.run_test(chapter) if built else (False, [eb.first_error(output)])
        if not passed:
            record["checks_failed"][chapter.name] = digest
            self.build.save()
            say(f"the thorough checks fail ({eb.elapsed(start)}): the first that fails says",
                *("  " + line for line in failures))
            return False
        record["checks_failed"].pop(chapter.name, None)
        record["solved"][chapter.name] = digest
        self.build.save()
        solved = sum(1 for c in self.chapters if record["solved"].get(c.name) == c.digest())
        say(f"the thorough checks pass ({eb.elapsed(start)}): chapter {chapter.number} is "
            f"solved ({solved} of {len(self.chapters)})")
        return True

    def go(self, chapter):
        """Shows a chapter and grades it as it is; on to the next while solved."""
        while chapter is not None:
            self.prepare(chapter)
            self.show(chapter)
            if not self.grade(chapter):
                return chapter
            chapter = self.first_unsolved(after=chapter) or self.first_unsolved()
        say("every chapter is solved: well done")
        return None

    # ---- the commands ----------------------------------------------------------------------

    def hint(self, chapter):
        shown = self.build.record["hints"].get(chapter.name, 0)
        self.prepare(chapter)
        count = int(self.build.info(chapter).get("hints", "0"))
        if shown >= count:
            say(f"chapter {chapter.number} has no more hints ({count} shown); its page explains "
                "the derivation")
            return
        p = subprocess.run([str(self.build.path(chapter)), "--hint", str(shown + 1)],
                           capture_output=True, text=True)
        self.build.record["hints"][chapter.name] = shown + 1
        self.build.save()
        say(p.stdout.rstrip("\n"))

    def list(self):
        self.build.configure()
        self.codes = eb.exit_codes(self.build)
        counts = {}
        with self.build.background.paused():  # it links the very programs that `list` runs
            for c in self.chapters:
                status, line = self.build.status(c, self.codes)
                counts[status] = counts.get(status, 0) + 1
                say(f"  {c.number}  {c.name[3:]:<18} {status:<16} {line[:80]}".rstrip())
        self.build.save()
        say("  " + ", ".join(f"{n} {s}" for s, n in counts.items()))
        return counts

    def reset(self, chapter):
        text = chapter.exercise.read_text()
        if exercise_files.is_blank(text):
            say(f"chapter {chapter.number}: the slot is blank already")
            return
        k = 1
        while chapter.exercise.with_name(f"exercise.hpp.attempt-{k}").exists():
            k += 1
        backup = chapter.exercise.with_name(f"exercise.hpp.attempt-{k}")
        shutil.copyfile(chapter.exercise, backup)
        chapter.exercise.write_text(exercise_files.with_slot_body(text, exercise_files.BLANK))
        for key in ("solved", "checks_failed", "hints"):
            self.build.record[key].pop(chapter.name, None)
        self.build.save()
        say(f"chapter {chapter.number}: the blank slot is back; your attempt is in "
            f"{backup.relative_to(eb.ROOT)}")

    def solution(self, chapter, confirm):
        if self.build.record["solved"].get(chapter.name) != chapter.digest() and not confirm():
            say("not shown")
            return
        header = exercise_files.solution_header(chapter.folder)
        say(f"the solution's step, from {header.relative_to(eb.ROOT)}:", "",
            exercise_files.solution_body(chapter.folder).rstrip("\n"))


def ask(chapter, read_line):
    """A confirmation from the learner before the solution of an unsolved chapter."""
    def confirm():
        say(f"chapter {chapter.number} is not solved yet: show its solution anyway? (yes/no)")
        return read_line().strip().lower() in ("y", "yes")
    return confirm


class Watch:
    """The learner's saves (inotifywait, else polling) and typed lines (the console, which also
    keeps the lines typed while a command ran), one at a time."""

    def __init__(self, console):
        self.console = console
        self.saves = None
        self.buffer = b""
        if shutil.which("inotifywait"):
            self.saves = subprocess.Popen(
                ["inotifywait", "-m", "-r", "-q", "-e", "close_write", "-e", "moved_to",
                 "--format", "%w%f", str(eb.ROOT / "chapters")], stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL)
            time.sleep(0.3)  # the watches are in place before the first prompt
        self.mtimes = {}

    def close(self):
        if self.saves:
            self.saves.terminate()

    def next_event(self, chapter):
        """("save", None) when the chapter's exercise.hpp was written, ("line", text) for a
        typed line, ("eof", None) when the input ends."""
        while True:
            if self.console.pending:
                return "line", self.console.pending.pop(0)
            if b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                if line.decode() == str(chapter.exercise):
                    return "save", None
                continue
            if self.console.closed:
                return "eof", None
            fds = [self.console.fd] + ([self.saves.stdout.fileno()] if self.saves else [])
            ready, _, _ = select.select(fds, [], [], 0.5)
            if self.console.fd in ready:
                self.console.pending += self.console.read_ready()
            if self.saves and self.saves.stdout.fileno() in ready:
                self.buffer += self.saves.stdout.read1(4096)
            if not self.saves and self.saved(chapter):
                return "save", None

    def saved(self, chapter):
        """Polling, without inotifywait: True when the file's time changed."""
        mtime = chapter.exercise.stat().st_mtime_ns
        changed = self.mtimes.get(chapter.name, mtime) != mtime
        self.mtimes[chapter.name] = mtime
        return changed


def watch(loop, chapter, console):
    """The loop: a verdict on every save, a command on every typed line, until `quit`. A build
    or a verdict stopped by Ctrl-C brings the prompt back; `quit` ends the loop."""
    w = Watch(console)
    try:
        chapter, prompt = stoppable(lambda: loop.go(chapter), chapter), True
        while chapter is not None:
            if prompt:
                say(PROMPT.format(file=chapter.relative()))
            try:
                kind, text = w.next_event(chapter)
            except KeyboardInterrupt:
                break
            if kind == "eof" or (kind == "line" and text.split()[:1] == ["quit"]):
                break
            if kind == "line":
                read_line = lambda: w.next_event(chapter)[1] or ""  # noqa: E731
                chapter = stoppable(lambda: command(loop, chapter, text.split(), read_line),
                                    chapter)
                prompt = True
                continue
            time.sleep(0.1)  # an editor may write in several steps
            prompt = chapter.digest() != loop.graded  # else: saved as it was graded, or reset
            if prompt:
                chapter = stoppable(lambda: graded_then_next(loop, chapter), chapter)
    except Interrupted:  # `quit` while a command ran
        pass
    finally:
        w.close()
        loop.build.background.close()


def stoppable(action, chapter):
    """Runs `action` (which returns the chapter to watch next); when Ctrl-C stops it, says so
    and stays on `chapter`. `quit` (Interrupted(True)) goes through, to end the loop."""
    try:
        return action()
    except Interrupted as e:
        if e.quit_loop:
            raise
        say("stopped (Ctrl-C)")
        return chapter


def graded_then_next(loop, chapter):
    """Grades the chapter; once solved, the loop goes on to the next unsolved one."""
    if loop.grade(chapter):
        return loop.go(loop.first_unsolved(after=chapter) or loop.first_unsolved())
    return chapter


def command(loop, chapter, words, read_line):
    """Runs a typed command; returns the chapter to watch next."""
    name, args = (words[0], words[1:]) if words else ("", [])
    target = loop.find(args[0]) if args and name in ("goto", "reset", "solution") else chapter
    if target is None:
        return chapter
    if name in ("", "goto"):
        return loop.go(target)
    if name == "next":
        return loop.go(loop.after(chapter))
    if name == "hint":
        loop.hint(chapter)
    elif name == "list":
        loop.list()
    elif name == "reset":
        loop.reset(target)
        if target is chapter:
            loop.grade(chapter)
    elif name == "solution":
        loop.solution(target, ask(target, read_line))
    else:
        say(f"unknown command '{name}': hint, list, next, goto NN, reset [NN], solution [NN], quit")
    return chapter


def one_command(loop, name, argv):
    """`tools/exercises.py hint|reset|solution [NN]`: exit code."""
    target = loop.find(argv[1]) if len(argv) > 1 else loop.current()
    if target is None:
        return 2
    if name == "hint":
        loop.hint(target)
    elif name == "reset":
        loop.reset(target)
    else:
        loop.solution(target, ask(target, sys.stdin.readline))
    return 0


def main(argv):
    build_dir = eb.ROOT / "build" / "exercises"
    if argv[:1] == ["--build"] and len(argv) > 1:
        build_dir, argv = argv[1], argv[2:]
    if argv[:1] in (["-h"], ["--help"]):
        say(__doc__.strip())
        return 0
    name = argv[0] if argv else ""
    console = Console() if name in ("", "goto", "next") else None
    loop = Loop(eb.Build(build_dir, console))
    try:
        if name == "list":
            counts = loop.list()
            if argv[1:2] == ["--expect"] and len(argv) == 3:  # for CI: every chapter in these
                return 0 if set(counts) <= set(argv[2].split(",")) else 1  # states
            return 0 if not any(s.startswith("error") for s in counts) else 1
        if name in ("hint", "reset", "solution"):
            return one_command(loop, name, argv)
        if name == "goto" and len(argv) == 2:
            chapter = loop.find(argv[1])
            if chapter is None:
                return 2
        elif name == "next":
            chapter = loop.after(loop.current())
        elif name:
            say(__doc__.strip())
            return 2
        else:
            chapter = loop.current()
        if chapter is None:
            say("every chapter is solved: well done")
            return 0
        watch(loop, chapter, console)
        return 0
    except (Interrupted, KeyboardInterrupt):
        say("stopped")
        return 130
    finally:
        loop.build.background.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
