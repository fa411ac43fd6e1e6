"""Check the built documentation site: internal links, then pages in a real headless browser.

Run from the repository root after building the site::

    python -m sphinx -W --keep-going -b html docs docs/_build/html
    python scripts/check_site.py docs/_build/html

1. Every ``href`` and ``src`` of every page that points inside the site
   must name a file that exists, and an ``#anchor`` must be an ``id`` of
   the page it points to.
2. Debian's Chromium (``chromium --headless --dump-dom``) opens the index,
   the API page of ``KerasClassifier`` and the Pima grid-search example;
   the DOM it renders must hold the expected headings, the parameter table
   with ``class_weight``, an entry for each public method (``fit``,
   ``predict_proba``, ...), and the example's printed output and plot (an
   ``img`` whose file is a PNG that decodes).

Exits with status 1 and one line per problem when anything is wrong.
"""

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    """Links, ids, headings, images and text of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids, self.headings, self.images = [], set(), [], []
        self.text, self._heading = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "img", "link", "script"):
                self.links.append(attrs[key])
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag in ("h1", "h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()).rstrip("#¶ "))
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


def parse(html):
    page = _Page()
    page.feed(html)
    return page


def check_links(site):
    """Problems with internal links, one string each."""
    pages = {
        path: parse(path.read_text(encoding="utf-8"))
        for path in site.rglob("*.html")
        if "_static" not in path.relative_to(site).parts  # the theme's templates, not pages
    }
    problems = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("//", "mailto:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site)}: {link}"
            if not target.exists():
                problems.append(f"{where}: no such file")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{where}: no element with id {parts.fragment!r}")
    return problems, len(pages)


def rendered(browser, path):
    """The DOM of ``path`` as the headless browser renders it."""
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", path.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0 or "<html" not in done.stdout:
        raise RuntimeError(f"{browser} could not open {path}: {done.stderr[-500:]}")
    return parse(done.stdout)


def check_pages(site, browser):
    """Problems seen in the browser, one string each."""
    problems = []
    index = rendered(browser, site / "index.html")
    # The ecosystem's top level: getting started, user guide, tutorials,
    # reference, development.
    for heading in ("Getting started", "User guide", "Tutorials", "Reference", "Development"):
        if heading not in index.headings:
            problems.append(f"index.html: no heading {heading!r} in {index.headings}")
    install = rendered(browser, site / "install.html")
    if 'pip install -e ".[jax]"' not in " ".join(" ".join(install.text).split()):
        problems.append("install.html: the extras' install commands are not on the page")
    api = rendered(browser, site / "generated" / "skdeep.KerasClassifier.html")
    text = " ".join(api.text)
    if not any(h.startswith("skdeep.KerasClassifier") for h in api.headings):
        problems.append(f"KerasClassifier page: headings {api.headings}")
    for expected in ("Parameters", "class_weight", "epochs", "Attributes", "classes_"):
        if expected not in text:
            problems.append(f"KerasClassifier page: {expected!r} is not on the page")
    # Every public method has its entry (an autodoc option once hid them all).
    for method in ("fit", "predict", "predict_proba", "score", "partial_fit", "initialize"):
        if f"skdeep.KerasClassifier.{method}" not in api.ids:
            problems.append(f"KerasClassifier page: no entry for the method {method}()")
    example = rendered(browser, site / "auto_examples" / "plot_pima_grid_search.html")
    if "Grid search on the Pima diabetes data" not in example.headings:
        problems.append(f"Pima example: headings {example.headings}")
    if "best accuracy" not in " ".join(example.text):
        problems.append("Pima example: the printed result is not on the page")
    plots = [src for src in example.images if "sphx_glr_plot_pima_grid_search" in src]
    if not plots:
        problems.append(f"Pima example: no plot image among {example.images}")
    for src in plots:
        image = (site / "auto_examples" / unquote(src)).resolve()
        if not image.exists() or image.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            problems.append(f"Pima example: {src} is not a PNG file")
    return problems


def main(argv):
    site = Path(argv[1] if len(argv) > 1 else "docs/_build/html").resolve()
    if not (site / "index.html").exists():
        print(f"{site} holds no built site: build it first (see this script's docstring)")
        return 1
    problems, n_pages = check_links(site)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        problems.append("no chromium on PATH: apt-get install chromium")
    else:
        problems += check_pages(site, browser)
    for problem in problems:
        print(problem)
    print(f"{n_pages} pages, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
