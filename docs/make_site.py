"""Writes the website's pages from the chapters themselves.

Every chapter folder chapters/NN_name/ holds page.dox, the text of its page (a section `step`
that says where the chapter sits, its heading left to the chapter's title; a section `results`;
any more; the captions of its pictures and its backward line, sitegen/pagedox.py), and its
program says what the chapter is (`--info`: title, forward line, shapes, gradients, pictures,
exercise), how to run it (`--help`) and its hints (`--hint K`). This script joins them with the
file comment of the chapter's header (the derivation) and the table of the model's tensors (the
forward graph): a page per chapter, the main page, the cheat sheet and the search box's index.
Nothing here lists chapters by hand.

usage: make_site.py --source ROOT --build DIR --facts DIR --out DIR
  ROOT     the project's root (chapters/, docs/mainpage.dox, docs/exercises.md)
  --build  the build folder: its exit-codes.sh (common/error.hpp's table) fills in the exit
           codes of the Exercises page
  --facts  NN_name.info, .help and .hints per chapter, tensors.tsv (tensor_facts's output)
  --out    where the pages and search_index.js are written
"""
import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tools"))

from exercise_files import exit_codes  # noqa: E402
from sitegen.cheatsheet import cheat_sheet  # noqa: E402
from sitegen.facts import read_chapters, read_tensors  # noqa: E402
from sitegen.home import exercises_page, main_page  # noqa: E402
from sitegen.pages import chapter_page  # noqa: E402
from sitegen.search import search_index  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=pathlib.Path)
    parser.add_argument("--build", required=True, type=pathlib.Path)
    parser.add_argument("--facts", required=True, type=pathlib.Path)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    args = parser.parse_args()
    chapters = read_chapters(args.source, args.facts)
    tensors, dimensions = read_tensors(args.facts / "tensors.tsv")
    args.out.mkdir(parents=True, exist_ok=True)
    for chapter in chapters:
        (args.out / f"{chapter.folder}.dox").write_text(chapter_page(chapter, chapters, tensors))
    template = (args.source / "docs" / "mainpage.dox").read_text()
    (args.out / "mainpage.dox").write_text(main_page(template, chapters, tensors))
    exercises = exercises_page((args.source / "docs" / "exercises.md").read_text(),
                               exit_codes(args.build), chapters)
    (args.out / "exercises.md").write_text(exercises)
    sheet = cheat_sheet(chapters, dimensions)
    (args.out / "cheatsheet.dox").write_text(sheet)
    (args.out / "search_index.js").write_text(search_index(chapters, args.source, exercises,
                                                           sheet))


if __name__ == "__main__":
    main()
