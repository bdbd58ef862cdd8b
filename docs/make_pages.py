"""Writes the website's pages from the chapters themselves.

Every chapter folder chapters/NN_name/ holds page.dox, the text of its page (a section `step`
that says where the chapter sits, a section `results`, and any more), and its program says what
the chapter is (`chapter_NN_name --info`: title, forward line, shapes, ...). This script joins
them: for each chapter a page with its title, the text, the derivation (the file comment of its
header), its code, what its program printed, and the links to the chapters before and after it;
and the main page with the list of the chapters. Nothing here lists chapters by hand.

usage: make_pages.py --source ROOT --facts DIR --out DIR
  ROOT   the project's root (chapters/, docs/mainpage.dox)
  DIR    --facts: one NN_name.info per chapter (what --info printed); --out: the pages written
"""
import argparse
import pathlib
import re
import sys


def read_info(path):
    """The `key: value` lines of a chapter's --info, as a dict."""
    info = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition(": ")
        info[key] = value
    return info


def header_of(root, folder):
    """The chapter's header, relative to chapters/: NN_name/name.hpp."""
    header = f"{folder}/{folder[3:]}.hpp"
    if not (root / "chapters" / header).exists():
        sys.exit(f"make_pages: chapters/{header} is missing")
    return header


def sections(text, folder):
    """The page text with every section label made unique to the chapter (`results` becomes
    `chapter_NN_results`), and the text before its `results` section and from it on."""
    prefix = f"chapter_{folder[:2]}_"
    text = re.sub(r"^\\(section|subsection) (\w+)", lambda m: f"\\{m.group(1)} {prefix}{m.group(2)}",
                  text, flags=re.M)
    text = re.sub(r"\\ref (step|results|code)\b", lambda m: f"\\ref {prefix}{m.group(1)}", text)
    at = text.find(f"\\section {prefix}results")
    if at < 0:
        sys.exit(f"make_pages: chapters/{folder}/page.dox has no section `results`")
    return text[:at].rstrip() + "\n", text[at:]


def page_text(root, folder):
    """The text of chapters/<folder>/page.dox, without its comment markers."""
    text = (root / "chapters" / folder / "page.dox").read_text().strip()
    if not (text.startswith("/**") and text.endswith("*/")):
        sys.exit(f"make_pages: chapters/{folder}/page.dox must be one /** ... */ comment")
    return text[3:-2].strip() + "\n"


def title_of(number, folder):
    return f"Chapter {number:02d}: {folder[3:]}"


def link(number, info, arrow):
    label = f"Chapter {number:02d}: {info['folder'][3:]}"
    text = f"« {label}" if arrow == "back" else f"{label} »"
    return f'\\ref chapter_{number:02d} "{text}"'


def chapter_page(root, chapters, k):
    """The page of the k-th chapter."""
    folder, info = chapters[k]
    number = int(info["chapter"])
    header = header_of(root, folder)
    before, results = sections(page_text(root, folder), folder)
    p = f"chapter_{number:02d}_"
    if not before.startswith(f"\\section {p}step\n"):
        sys.exit(f"make_pages: chapters/{folder}/page.dox must begin with a section `step`")
    before = before.replace(f"\\section {p}step\n", f"\\section {p}step The step: {info['title']}\n", 1)
    out = [f"/**\n\\page chapter_{number:02d} {title_of(number, folder)}\n", before,
           f"\n\\copydetails {header}\n"]
    if f"\\section {p}code" not in before:
        header_text = (root / "chapters" / header).read_text()
        if "// [step]" not in header_text:
            sys.exit(f"make_pages: chapters/{header} marks no [step] and page.dox has no code section")
        out.append(f"\n\\section {p}code The code\nFrom `{header}`, the code the program runs:\n"
                   f"\\snippet {header} step\n")
    out.append(f"\n\\section {p}output The output\nWhat `{info['program']}` printed when this site "
               f"was built:\n\\verbinclude {info['program']}.txt\n\n")
    out.append(results.rstrip() + "\n")
    back = link(int(chapters[k - 1][1]["chapter"]), chapters[k - 1][1], "back") if k > 0 else ""
    ahead = (link(int(chapters[k + 1][1]["chapter"]), chapters[k + 1][1], "ahead")
             if k + 1 < len(chapters) else "")
    out.append(f'\n<div class="chapter-nav">\n<span>{back}</span>\n<span>\\ref index "Contents"'
               f"</span>\n<span>{ahead}</span>\n</div>\n*/\n")
    return "".join(out)


def chapter_list(chapters):
    """The main page's list of the chapters."""
    lines = []
    for folder, info in chapters:
        number = int(info["chapter"])
        lines.append(f'- <b>{number:02d}</b> \\ref chapter_{number:02d} "{folder[3:]}": '
                     f"{info['title']}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=pathlib.Path)
    parser.add_argument("--facts", required=True, type=pathlib.Path)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    args = parser.parse_args()
    folders = sorted(p.name for p in (args.source / "chapters").iterdir()
                     if p.is_dir() and re.match(r"\d\d_", p.name))
    chapters = [(folder, read_info(args.facts / f"{folder}.info")) for folder in folders]
    args.out.mkdir(parents=True, exist_ok=True)
    for k, (folder, _) in enumerate(chapters):
        (args.out / f"{folder}.dox").write_text(chapter_page(args.source, chapters, k))
    main_page = (args.source / "docs" / "mainpage.dox").read_text()
    if "@CHAPTER_LIST@" not in main_page:
        sys.exit("make_pages: docs/mainpage.dox has no @CHAPTER_LIST@")
    (args.out / "mainpage.dox").write_text(main_page.replace("@CHAPTER_LIST@", chapter_list(chapters)))


if __name__ == "__main__":
    main()
