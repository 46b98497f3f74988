"""The report model (`reports.toolkit.model`) as one accessible HTML page: the PDF's twin.

Built from the same blocks as the PDF, so the two say the same. What makes it accessible
(WCAG 2.1 AA, which lag 2018:1937 asks of what a municipality publishes):
- `lang` on the page; one `h1` (the plan), chapters as `h2`, sub-chapters as `h3`, each question `h4`;
- lists as `ul`/`ol`; tables with `th` header cells (`scope="col"`, and `scope="row"` where the
  first cell names the row) and a caption where the model gives one;
- every chart an image with a text alternative, followed by its data as a table;
- a contents list of links; no fixed widths, so it reflows at 200 % zoom and on a phone;
- self-contained: the style is inline and the charts are data URIs, so nothing is fetched.
Inline markup from the model is translated tag by tag (`<b>`, `<i>`, `<br/>`, the muted
`<font>`); any other tag is escaped and printed as typed.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String

from .model import MUTED_OPEN, Block, Break, Columns, Contents, Figure, Heading, Items, Keep, OnePage, Para, \
    ReportModel, Space, Table, walk

__all__ = ["inline", "svg", "write_html"]

_TAG = re.compile(r"<[^>]*>")
WIDE = 4  # columns above which a table scrolls in its own region
_TAGS = {"<b>": "<b>", "</b>": "</b>", "<i>": "<i>", "</i>": "</i>", "<br/>": "<br>", MUTED_OPEN: '<span class="muted">',
         "</font>": "</span>"}
# Paragraph styles that are headings in the PDF's layout, and so in the HTML's structure.
_HEADING_STYLES = {"title": "h1", "summary_head": "h3", "big_head": "h3", "criterion": "h4"}

CSS = """
:root{color-scheme:light}
body{font-family:"DejaVu Sans",Verdana,system-ui,sans-serif;color:#1f2328;background:#fff;margin:0;line-height:1.45}
main{max-width:52rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{color:#1d5c8f;font-size:1.9rem;margin:.5rem 0 .75rem}
h2{color:#1d5c8f;font-size:1.45rem;margin:2rem 0 .6rem;border-bottom:1px solid #c8ccd2;padding-bottom:.2rem}
h3{font-size:1.15rem;margin:1.2rem 0 .4rem}
h4{font-size:1rem;margin:1.1rem 0 .3rem}
h3.summary_head{color:#1d5c8f}
p{margin:.3rem 0 .5rem}
.small,.comment,.reply,.cell{font-size:.92rem}
.muted,.subtitle{color:#5a6270}
.subtitle{font-size:1.15rem}
.reply{margin-left:2rem}.comment{margin-left:1rem}
ul,ol{margin:.3rem 0 .6rem;padding-left:1.6rem}
li{margin:.15rem 0}
table{border-collapse:collapse;width:100%;margin:.4rem 0 .9rem;font-size:.92rem}
th,td{text-align:left;vertical-align:top;padding:.25rem .4rem;border-bottom:1px solid #c8ccd2;overflow-wrap:break-word;hyphens:auto}
td{overflow-wrap:anywhere}
thead th{background:#eef2f6;border-bottom:2px solid #1d5c8f}
tbody th{font-weight:bold}
caption{text-align:left;font-weight:bold;padding:.2rem 0}
table.facts th{width:30%}
table.facts td,table.facts th{border-bottom:1px solid #c8ccd2;padding:.4rem .4rem .4rem 0}
figure{margin:.6rem 0 1rem}
figure img{width:100%;max-width:48rem;height:auto;display:block}
figcaption{color:#5a6270;font-size:.92rem}
.wide{overflow-x:auto;max-width:100%}
.wide:focus{outline:2px solid #1d5c8f}
.cols{display:flex;flex-wrap:wrap;gap:1rem}
.cols>div{flex:1 1 18rem;min-width:0}
nav ol{list-style:none;padding-left:0}nav ol ol{padding-left:1.2rem}
section.onepage{border:1px solid #c8ccd2;border-radius:4px;padding:0 1rem .5rem;margin:1rem 0}
"""


def inline(markup: str) -> str:
    """The model's inline markup as HTML: its four tags translated, any other escaped."""
    def tag(m: re.Match[str]) -> str:
        t = m.group(0)
        return _TAGS.get(t, html.escape(t, quote=False))
    return _TAG.sub(tag, markup)


def _table(t: Table) -> str:
    out = [f'<table class="{t.kind}">']
    if t.caption:
        out.append(f"<caption>{html.escape(t.caption)}</caption>")
    rows = t.rows
    if t.head and rows:
        out.append("<thead><tr>" + "".join(f'<th scope="col">{inline(c)}</th>' for c in rows[0]) + "</tr></thead>")
        rows = rows[1:]
    out.append("<tbody>")
    for row in rows:
        cells = []
        for i, c in enumerate(row):
            if i == 0 and t.row_heads:
                cells.append(f'<th scope="row">{inline(c)}</th>')
            else:
                cells.append(f"<td>{inline(c)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if len(t.rows[0] if t.rows else []) > WIDE:
        # A data table too wide for a narrow window (or 200 % zoom) scrolls inside its own region, which
        # the keyboard reaches and a screen reader names; the page itself never scrolls sideways.
        label = html.escape(t.caption or _TAG.sub("", t.rows[0][0]) or "table")
        return f'<div class="wide" role="region" tabindex="0" aria-label="{label}">{"".join(out)}</div>'
    return "".join(out)


def _colour(c: object) -> str:
    if c is None:
        return "none"
    return "#" + c.hexval()[2:]  # type: ignore[attr-defined]


def _svg_nodes(node: object, out: list[str]) -> None:
    """One drawing's shapes as SVG elements (the report's charts use rectangles, lines, strings and groups)."""
    if isinstance(node, Group):
        a, b, c, d, e, f = node.transform
        out.append(f'<g transform="matrix({a:g} {b:g} {c:g} {d:g} {e:g} {f:g})">')
        for child in node.contents:
            _svg_nodes(child, out)
        out.append("</g>")
    elif isinstance(node, Rect):
        out.append(f'<rect x="{node.x:.2f}" y="{node.y:.2f}" width="{node.width:.2f}" height="{node.height:.2f}" '
                   f'fill="{_colour(node.fillColor)}"/>')
    elif isinstance(node, Line):
        out.append(f'<line x1="{node.x1:.2f}" y1="{node.y1:.2f}" x2="{node.x2:.2f}" y2="{node.y2:.2f}" '
                   f'stroke="{_colour(node.strokeColor)}" stroke-width="{node.strokeWidth:g}"/>')
    elif isinstance(node, String):
        anchor = {"start": "start", "middle": "middle", "end": "end"}.get(node.textAnchor, "start")
        weight = ' font-weight="bold"' if "Bold" in node.fontName else ""
        # The drawing's y axis points up; the text is flipped back so it reads upright.
        out.append(f'<text transform="translate({node.x:.2f} {node.y:.2f}) scale(1 -1)" font-size="{node.fontSize:g}"'
                   f'{weight} text-anchor="{anchor}" fill="{_colour(node.fillColor)}">'
                   f"{html.escape(node.text, quote=False)}</text>")
    else:  # pragma: no cover - a shape the charts do not draw
        raise TypeError(f"no SVG for {type(node).__name__}")


def svg(drawing: Drawing) -> str:
    """A reportlab Drawing as a standalone SVG document (what renderSVG writes, without its DOM's cost)."""
    w, h = drawing.width, drawing.height
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" viewBox="0 0 {w:.2f} {h:.2f}" '
           f'font-family="DejaVu Sans, Verdana, sans-serif"><g transform="matrix(1 0 0 -1 0 {h:.2f})">']
    for node in drawing.contents:
        _svg_nodes(node, out)
    out.append("</g></svg>")
    return "".join(out)


def _figure(f: Figure) -> str:
    svg_text = svg(f.draw())
    src = "data:image/svg+xml;base64," + base64.b64encode(svg_text.encode("utf-8")).decode("ascii")
    out = [f'<figure><img src="{src}" alt="{html.escape(f.alt)}">']
    if f.caption:
        out.append(f"<figcaption>{inline(f.caption)}</figcaption>")
    out.append("</figure>")
    if f.data is not None:
        out.append(_table(f.data))
    return "".join(out)


def _contents(title: str, blocks: Sequence[Block]) -> str:
    """The contents as a list of links: chapters, each with its sub-chapters as a nested list."""
    chapters: list[tuple[Heading | None, list[Heading]]] = []
    for h in (b for b in walk(blocks) if isinstance(b, Heading) and b.toc):
        if h.level == 0 or not chapters:
            chapters.append((h if h.level == 0 else None, [] if h.level == 0 else [h]))
        else:
            chapters[-1][1].append(h)

    def link(h: Heading) -> str:
        return f'<a href="#{h.key}">{html.escape(h.text)}</a>'

    out = [f'<nav aria-labelledby="contents"><h2 id="contents">{html.escape(title)}</h2><ol>']
    for head, subs in chapters:
        inner = "<ol>" + "".join(f"<li>{link(h)}</li>" for h in subs) + "</ol>" if subs else ""
        out.append(f"<li>{link(head) if head else ''}{inner}</li>")
    out.append("</ol></nav>")
    return "".join(out)


def _blocks(blocks: Sequence[Block], everything: Sequence[Block]) -> list[str]:
    out: list[str] = []
    open_list: str | None = None  # "ul" or "ol" while consecutive bulleted paragraphs last

    def close() -> None:
        nonlocal open_list
        if open_list:
            out.append(f"</{open_list}>")
            open_list = None

    for b in blocks:
        if isinstance(b, Para) and b.bullet is not None:
            kind = "ol" if b.numbered else "ul"
            if open_list != kind:
                close()
                out.append(f'<{kind} class="{b.style}">')
                open_list = kind
            out.append(f"<li>{inline(b.markup)}</li>")
            continue
        close()
        if isinstance(b, Heading):
            tag = "h2" if b.level == 0 else "h3"
            out.append(f'<{tag} id="{b.key}">{html.escape(b.text)}</{tag}>')
        elif isinstance(b, Para):
            tag = _HEADING_STYLES.get(b.style, "p")
            out.append(f'<{tag} class="{b.style}">{inline(b.markup)}</{tag}>')
        elif isinstance(b, Items):
            kind = "ol" if b.numbered else "ul"
            out.append(f'<{kind} class="{b.style}">' + "".join(f"<li>{inline(i)}</li>" for i in b.items) + f"</{kind}>")
        elif isinstance(b, Table):
            out.append(_table(b))
        elif isinstance(b, Figure):
            out.append(_figure(b))
        elif isinstance(b, (Break, Space)):
            pass
        elif isinstance(b, Keep):
            out += _blocks(b.blocks, everything)
        elif isinstance(b, OnePage):
            first = b.blocks[0] if b.blocks else None
            label = f' aria-labelledby="{first.key}"' if isinstance(first, Heading) else ""
            out.append(f'<section class="onepage {b.name}"{label}>')
            out += _blocks(b.blocks, everything)
            out.append("</section>")
        elif isinstance(b, Columns):
            out.append('<div class="cols"><div>' + "".join(_blocks(b.left, everything)) + "</div><div>"
                       + "".join(_blocks(b.right, everything)) + "</div></div>")
        elif isinstance(b, Contents):
            out.append(_contents(b.title, everything))
        else:  # pragma: no cover - a new block kind without a renderer is a programming error
            raise TypeError(f"no HTML rendering for {type(b).__name__}")
    close()
    return out


def write_html(model: ReportModel) -> str:
    """The whole report as one self-contained HTML page."""
    meta = [f'<meta name="author" content="{html.escape(model.author)}">' if model.author else "",
            f'<meta name="description" content="{html.escape(model.subject)}">' if model.subject else ""]
    body = "".join(_blocks(model.blocks, model.blocks))
    return (f'<!doctype html>\n<html lang="{html.escape(model.lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(model.title)}</title>\n{''.join(meta)}\n<style>{CSS}</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")
