"""The website test of tools/check_site.py."""


def learner_pages(site):
    """The pages a learner reads: the landing page, the Exercises page, the cheat sheet, the
    "Beyond the lecture" page (when there is one) and every chapter, in that order."""
    pages = [site / "index.html", site / "exercises.html", site / "cheatsheet.html"]
    pages += [page for page in [site / "beyond.html"] if page.exists()]
    return pages + sorted(site.glob("chapter_[0-9][0-9].html"))
