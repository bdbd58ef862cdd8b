#!/usr/bin/env python3
"""Measures the exercise loop's edit-to-verdict time: from the moment exercise.hpp is saved to
the moment the loop prints the verdict, over REPEATS saves (two wrong answers in turn, so that
every save changes the file), with the median, the fastest and the slowest. In the same run, the
baseline: what the loop replaces, the chapter's program and test rebuilt by hand after the same
change and both run (`cmake --build ... --target chapter_NN test_chapter_NN`, then the program,
then the test).

usage: tools/bench_exercise_loop.py ROOT BUILD [NN] [REPEATS]
       (ROOT: a copy of the tree whose exercises may be rewritten; BUILD: its exercises build,
       built; NN: the chapter, default 08; REPEATS: default 5)
"""
import pathlib
import statistics
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
import exercise_files  # noqa: E402
import exercise_session  # noqa: E402


def summary(name, times):
    return (f"{name}: median {statistics.median(times):.1f} s, fastest {min(times):.1f} s, "
            f"slowest {max(times):.1f} s over {len(times)}")


def main(root, build, number, repeats):
    root, build = pathlib.Path(root).resolve(), pathlib.Path(build).resolve()
    folder = next(f for f in exercise_files.chapters(root) if f.name.startswith(number))
    exercise = folder / "exercise.hpp"
    mutants = exercise_session.check_mutants.read_mutants(folder / "mutants.txt")
    answers = [mutants[0][1], mutants[1][1]]
    exercise.write_text(exercise_files.with_slot_body(exercise.read_text(), answers[1]))
    (build / "exercise-record.json").unlink(missing_ok=True)
    print(f"load average {open('/proc/loadavg').read().split()[:3]}; chapter {folder.name}")

    session = exercise_session.Session(root, build, "goto", number)
    session.until(exercise_session.PROMPT)
    loop_times = []
    for k in range(repeats):
        start = time.monotonic()
        exercise.write_text(exercise_files.with_slot_body(exercise.read_text(), answers[k % 2]))
        session.until("verdict: ")
        loop_times.append(time.monotonic() - start)
        session.until(exercise_session.PROMPT)
    session.type("quit", then=None)
    session.process.wait(timeout=60)

    by_hand = []
    for k in range(repeats):
        start = time.monotonic()
        exercise.write_text(exercise_files.with_slot_body(exercise.read_text(), answers[k % 2]))
        subprocess.run(["cmake", "--build", str(build), "--target", f"chapter_{folder.name}",
                        f"test_chapter_{folder.name}"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(build / "chapters" / f"chapter_{folder.name}")],
                       stdout=subprocess.DEVNULL)
        subprocess.run([str(build / "tests" / f"test_chapter_{folder.name}")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        by_hand.append(time.monotonic() - start)
    print(summary("the loop, save to verdict", loop_times))
    print(summary("by hand, program and test rebuilt and run", by_hand))
    print(f"ratio of the medians: {statistics.median(by_hand) / statistics.median(loop_times):.1f}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "08",
                  int(sys.argv[4]) if len(sys.argv) > 4 else 5))
