"""Running the programs of the exercise loop so that the learner keeps control: every command
runs under a time limit, its output is kept within bounds, and what the learner types while it
runs is read at once (`quit` stops it; other commands wait for it), as is Ctrl-C.

Used by tools/exercise_build.py (builds, verdicts, tests) and tools/exercises.py (the loop).
"""
import contextlib
import glob
import os
import select
import signal
import subprocess
import time

KEEP_HEAD = 256 * 1024  # bytes of output kept from the start of a command ...
KEEP_TAIL = 64 * 1024   # ... and from its end: a program that prints without end fills no memory


class Interrupted(Exception):
    """The learner typed `quit`, or pressed Ctrl-C, while a command ran: it has been stopped."""

    def __init__(self, quit_loop):
        super().__init__("quit" if quit_loop else "interrupted")
        self.quit_loop = quit_loop


class Console:
    """The learner's typed lines, read without blocking: `pending` holds the lines typed while a
    command ran, to be handled after it."""

    def __init__(self, fd=0):
        self.fd = fd
        self.buffer = b""
        self.pending = []
        self.closed = False

    def read_ready(self):
        """Reads what is there (the caller saw the fd ready); returns the complete lines."""
        data = os.read(self.fd, 4096)
        if not data:
            self.closed = True
            data = b"\n" if self.buffer else b""
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        return [line.decode(errors="replace") for line in lines]


class Result:
    """How a command ended: its exit code (None when it was stopped at its time limit; negative
    when a signal ended it), its output (bounded), and its time."""

    def __init__(self, code, output, seconds, timed_out):
        self.code, self.output, self.seconds, self.timed_out = code, output, seconds, timed_out


def stop(process):
    """Ends a command and everything it started (its own process group), and returns when all of
    it has ended: a build stopped halfway has then removed what it was writing (ninja deletes the
    output of a command it interrupts), so that no half-linked program is left to be run."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            process.poll()  # reaps the group's leader
            if not group_alive(process.pid):
                return
            time.sleep(0.02)


def group_alive(pgid):
    """Whether a process of group `pgid` is still running (zombies, whose parent may never reap
    them, do not count)."""
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                state, _, group = f.read().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue  # it ended meanwhile
        if int(group) == pgid and state != "Z":
            return True
    return False


def run(command, limit, console=None, busy="", cwd=None, env=None):
    """Runs `command` (its stdin empty: the learner's typing is not for it) for at most `limit`
    seconds. Lines typed meanwhile go to console.pending; `quit` stops the command and raises
    Interrupted(True), Ctrl-C raises Interrupted(False). `busy` says what runs, for the line
    that answers a command typed meanwhile."""
    start = time.monotonic()
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, cwd=cwd, env=env,
                                   start_new_session=True)
    except OSError as e:  # not there, or not a complete program (yet)
        return Result(None, f"cannot run {command[0]}: {e.strerror}\n", 0.0, False)
    head, tail, dropped = b"", b"", 0
    watched = [process.stdout.fileno()] + ([console.fd] if console and not console.closed else [])
    try:
        while True:
            left = limit - (time.monotonic() - start)
            if left <= 0:
                stop(process)
                return Result(None, bounded(head, tail, dropped), limit, True)
            ready, _, _ = select.select(watched, [], [], min(left, 0.5))
            if console and console.fd in ready:
                for line in console.read_ready():
                    if line.split()[:1] == ["quit"]:
                        raise Interrupted(True)
                    if line.strip():
                        console.pending.append(line)
                        print(f"({busy or 'a command'} is running: '{line.strip()}' comes after "
                              "it; 'quit' stops it)", flush=True)
                if console.closed:
                    watched.remove(console.fd)
            if process.stdout.fileno() in ready:
                data = os.read(process.stdout.fileno(), 65536)
                if not data:
                    break
                if len(head) < KEEP_HEAD:
                    head, data = head + data[:KEEP_HEAD - len(head)], data[KEEP_HEAD - len(head):]
                tail += data
                dropped += max(0, len(tail) - KEEP_TAIL)
                tail = tail[-KEEP_TAIL:]
        code = process.wait()
        return Result(code, bounded(head, tail, dropped), time.monotonic() - start, False)
    except KeyboardInterrupt:
        raise Interrupted(False) from None
    finally:
        if process.poll() is None:
            stop(process)
        process.stdout.close()


def bounded(head, tail, dropped):
    """The output kept, with a line where some was left out."""
    text = head.decode(errors="replace")
    if dropped:
        text += f"\n[... {dropped} bytes of output left out ...]\n"
    return text + tail.decode(errors="replace")


class Background:
    """One command at a time, in the background and at the lowest priority (the builds of the
    chapters the learner will go to next); paused while a command of the loop's own runs."""

    def __init__(self):
        self.process = None
        self.command = None

    def start(self, command):
        self.pause()
        self.command = command
        self.resume()

    def resume(self):
        if self.command and self.process is None:
            self.process = subprocess.Popen(["nice", "-n", "19", *self.command],
                                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, start_new_session=True)

    def pause(self):
        """Stops the command (a build stopped halfway resumes where it was)."""
        if self.process is not None:
            if self.process.poll() is not None:
                self.command = None  # it has finished: nothing to resume
            else:
                stop(self.process)
            self.process = None

    @contextlib.contextmanager
    def paused(self):
        """Paused while the `with` block runs, then resumed."""
        self.pause()
        try:
            yield
        finally:
            self.resume()

    def close(self):
        self.pause()
        self.command = None
