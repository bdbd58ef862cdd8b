#!/usr/bin/env python3
"""Test of the website that `cmake --build <build> --target docs` writes, as a learner uses it.

usage: check_site.py [--chromium PATH] [--page PAGE ...] [--verbose] SITE_DIR

1. Without a browser (site_check/static.py): every local link and asset exists, with the
   #fragment of a local link, and nothing is loaded from the network; the sidebar lists every
   chapter in order with its sections; every picture of a chapter is a PNG that is not blank.
2. In headless Chromium at 1280 x 900, through the DevTools protocol (site_check/browser.py), on
   the main page and every chapter page: MathJax typesets every formula with the site's own fonts,
   without an error or raw TeX left; the page requests nothing but local files and no script
   throws; nothing is wider than the page's column; every chapter with an exercise shows the
   exercise's block, its solution folded and its pictures; the search box lists a tensor's
   chapter first.

Standard library only. Exit status: 0 all passed, 1 a check failed, 77 no site to check.
"""
import argparse
import shutil
import sys
from pathlib import Path

from site_check.browser import browser_checks
from site_check.static import navigation_checks, picture_checks, static_checks

EXIT_SKIP = 77


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the html folder of the built site")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--verbose", action="store_true", help="list every request of every page")
    parser.add_argument("--page", action="append", default=[],
                        help="load only this page (relative to SITE_DIR) in the browser; repeatable")
    args = parser.parse_args()
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"no site at {site}: build the docs target first; skipped")
        return EXIT_SKIP
    files, problems = static_checks(site)
    print(f"static: {len(files)} files checked, {len(problems)} problems")
    navigation, exercises = navigation_checks(site)
    problems += navigation + picture_checks(site)
    pages = [site / "index.html", site / "exercises.html"] + sorted(site.glob("chapter_[0-9][0-9].html"))
    if args.page:
        pages = [site / p for p in args.page]
    print(f"browser: {len(pages)} pages")
    problems += browser_checks(site, args.chromium, pages, set(exercises), args.verbose)
    for p in problems:
        print("FAIL", p)
    print("passed" if not problems else f"{len(problems)} problems")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
