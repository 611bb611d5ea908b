"""Parse the cleaned body HTML into a flat list of blocks.

The input is the allow-listed HTML the app stores (p, br, strong, b, em, i,
u, ol, ul, li, table, thead, tbody, tr, th, td, h2, h3).  Anything else is
tolerated: unknown tags are dropped and their text kept, except <script> and
<style>, whose content is dropped.  Whitespace is collapsed as a browser
would show it, and characters XML cannot hold are removed.

Blocks:

* :class:`Paragraph` — ``kind`` is "p", "h2", "h3" or "li"; a list item
  carries its printed ``prefix`` ("1." for <ol>, "·" for <ul>) and nesting
  ``level`` (0 for a top-level list);
* :class:`Table` — rows of cells; each cell holds paragraphs (lists of runs)
  and its ``colspan``/``rowspan``; :meth:`Table.layout` places the cells on
  the table's grid as a browser would, spans clipped so that they never leave
  the table nor overlap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from .text import collapse_space, xml_safe


@dataclass
class Run:
    text: str  # "\n" for a line break (<br>)
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass
class Paragraph:
    runs: list[Run]
    kind: str = "p"  # p | h2 | h3 | li
    prefix: str = ""  # list number or bullet, without trailing space
    level: int = 0

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Cell:
    paragraphs: list[list[Run]] = field(default_factory=list)
    header: bool = False
    colspan: int = 1  # as written in the HTML (1..MAX_SPAN); clipped by Table.layout
    rowspan: int = 1

    @property
    def text(self) -> str:
        return "\n".join("".join(r.text for r in p) for p in self.paragraphs)


@dataclass
class Row:
    cells: list[Cell] = field(default_factory=list)
    header: bool = False  # in <thead>, or made only of <th>


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    def header_rows(self) -> int:
        """Leading rows marked as header; with none marked, the first row of a longer table."""
        count = 0
        for row in self.rows:
            if not row.header:
                break
            count += 1
        return 1 if count == 0 and len(self.rows) > 1 else count


    def layout(self) -> TableLayout:
        """The cells on the grid, as HTML's table model places them.

        A cell goes to the first free column of its row; its rowspan is clipped
        to the rows left, its colspan to the table's width cap (the widest row's
        cell count, at least MAX_GRID_COLUMNS).  A span running into a slot some
        earlier cell already covers stops short of it (HTML leaves such overlaps
        undefined), so every slot is covered by at most one cell.  Work and size
        stay in proportion to the grid of an unspanned table with the same cells.
        """
        nrows = len(self.rows)
        cap = max([MAX_GRID_COLUMNS] + [len(r.cells) for r in self.rows])
        covered: dict[tuple[int, int], Placed] = {}
        placed: list[Placed] = []
        ncols = 0
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row.cells:
                while (r, c) in covered:
                    c += 1
                colspan = 1
                limit = min(max(1, cell.colspan), max(1, cap - c))
                while colspan < limit and (r, c + colspan) not in covered:
                    colspan += 1
                rowspan = 1
                limit = min(max(1, cell.rowspan), nrows - r)
                while rowspan < limit and all((r + rowspan, c + j) not in covered for j in range(colspan)):
                    rowspan += 1
                spot = Placed(cell, r, c, rowspan, colspan)
                placed.append(spot)
                for i in range(rowspan):
                    for j in range(colspan):
                        covered[(r + i, c + j)] = spot
                c += colspan
                ncols = max(ncols, c)
        return TableLayout(nrows, max(ncols, 1), placed, covered)


#: Columns a span may stretch a table to (Word's own limit is 63 columns).
MAX_GRID_COLUMNS = 63


@dataclass
class Placed:
    cell: Cell
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class TableLayout:
    nrows: int
    ncols: int
    cells: list[Placed]  # in document order
    covered: dict[tuple[int, int], Placed]  # (row, column) → the cell covering it

    def at(self, row: int, col: int) -> Placed | None:
        return self.covered.get((row, col))


Block = Paragraph | Table

_BOLD = {"b", "strong"}
_ITALIC = {"i", "em"}
_UNDERLINE = {"u"}
_PARAGRAPH_TAGS = {"p", "h2", "h3", "h1", "h4", "h5", "h6", "div", "blockquote"}
_SKIP_CONTENT = {"script", "style", "template"}


def normalise_runs(runs: list[Run]) -> list[Run]:
    """Merge runs with equal formatting, collapse whitespace, trim the ends."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if (
            merged
            and run.text != "\n"
            and merged[-1].text != "\n"
            and (merged[-1].bold, merged[-1].italic, merged[-1].underline) == (run.bold, run.italic, run.underline)
        ):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.underline)
        else:
            merged.append(Run(run.text, run.bold, run.italic, run.underline))
    out: list[Run] = []
    at_line_start = True
    for run in merged:
        if run.text == "\n":
            if out and out[-1].text != "\n":
                out[-1].text = out[-1].text.rstrip(" ")
            out.append(run)
            at_line_start = True
            continue
        text = collapse_space(run.text)
        if at_line_start or (out and out[-1].text.endswith(" ")):
            text = text.lstrip(" ")
        if not text:
            continue
        out.append(Run(text, run.bold, run.italic, run.underline))
        at_line_start = False
    # trim trailing spaces and line breaks
    while out and (out[-1].text == "\n" or not out[-1].text.strip(" ")):
        out.pop()
    if out:
        out[-1].text = out[-1].text.rstrip(" ")
    while out and out[0].text == "\n":
        out.pop(0)
    return [r for r in out if r.text]


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    """A colspan/rowspan attribute as a number in 1..MAX_SPAN; anything else is 1."""
    for key, value in attrs:
        if key == name and value is not None:
            value = value.strip()
            if value.isascii() and value.isdigit() and len(value) <= 6:
                return min(max(int(value), 1), MAX_SPAN)
    return 1


MAX_SPAN = 1000  # as webapp.htmlpolicy keeps


class _BodyParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._runs: list[Run] = []
        self._kind = "p"
        self._prefix = ""
        self._level = 0
        self._bold = 0
        self._italic = 0
        self._underline = 0
        self._skip = 0
        self._lists: list[list] = []  # [kind, counter]
        self._table: Table | None = None
        self._cell: Cell | None = None
        self._in_thead = False
        self._table_depth = 0  # nested tables are flattened into the cell

    # -- paragraph handling -------------------------------------------------
    def _flush(self) -> None:
        runs = normalise_runs(self._runs)
        self._runs = []
        if not runs:
            return  # an empty element: a pending list prefix stays pending
        kind, prefix, level = self._kind, self._prefix, self._level
        self._reset_kind()
        if self._cell is not None:
            if prefix:
                runs.insert(0, Run(prefix + " "))
            self._cell.paragraphs.append(runs)
        elif self._table is not None:
            # text directly in <table>/<tr>: keep it, in a cell of its own
            row = self._current_row()
            row.cells.append(Cell(paragraphs=[runs]))
        else:
            self.blocks.append(Paragraph(runs, kind, prefix, level))

    def _reset_kind(self) -> None:
        self._kind, self._prefix, self._level = "p", "", 0

    def _current_row(self) -> Row:
        assert self._table is not None
        if not self._table.rows:
            self._table.rows.append(Row(header=self._in_thead))
        return self._table.rows[-1]

    # -- HTMLParser callbacks ------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_CONTENT:
            self._skip += 1
            return
        if self._skip:
            return
        if tag in _BOLD:
            self._bold += 1
        elif tag in _ITALIC:
            self._italic += 1
        elif tag in _UNDERLINE:
            self._underline += 1
        elif tag == "br":
            self._runs.append(Run("\n"))
        elif tag == "table":
            if self._table is not None:
                self._table_depth += 1
                self._runs.append(Run(" "))
                return
            self._flush()
            self._reset_kind()
            self._table = Table()
        elif self._table_depth:
            if tag in ("tr", "td", "th", "p", "li"):
                self._runs.append(Run(" "))
        elif tag == "thead":
            self._in_thead = True
        elif tag == "tbody" or tag == "tfoot":
            self._in_thead = False
        elif tag == "tr" and self._table is not None:
            self._flush()
            self._reset_kind()
            self._cell = None
            self._table.rows.append(Row(header=self._in_thead))
        elif tag in ("td", "th") and self._table is not None:
            self._flush()
            self._reset_kind()
            row = self._current_row()
            self._cell = Cell(header=tag == "th" or self._in_thead,
                              colspan=_span(attrs, "colspan"), rowspan=_span(attrs, "rowspan"))
            row.cells.append(self._cell)
        elif tag in ("ol", "ul"):
            self._flush()
            self._reset_kind()
            self._lists.append([tag, 0])
        elif tag == "li":
            self._flush()
            if not self._lists:
                self._lists.append(["ul", 0])
            self._lists[-1][1] += 1
            kind, number = self._lists[-1]
            self._kind = "li"
            self._prefix = f"{number}." if kind == "ol" else "·"
            self._level = len(self._lists) - 1
        elif tag in _PARAGRAPH_TAGS:
            self._flush()
            if self._kind == "li":
                return  # <li><p>…: the first paragraph carries the number
            if tag in ("h1", "h2"):
                self._kind = "h2"
            elif tag in ("h3", "h4", "h5", "h6"):
                self._kind = "h3"
            else:
                self._reset_kind()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self._skip:
            self._runs.append(Run("\n"))
        # other void elements carry no text

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_CONTENT:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        if tag in _BOLD:
            self._bold = max(0, self._bold - 1)
        elif tag in _ITALIC:
            self._italic = max(0, self._italic - 1)
        elif tag in _UNDERLINE:
            self._underline = max(0, self._underline - 1)
        elif tag == "table":
            if self._table_depth:
                self._table_depth -= 1
                self._runs.append(Run(" "))
                return
            if self._table is None:
                return
            self._flush()
            table = self._table
            self._table, self._cell, self._in_thead = None, None, False
            table.rows = [r for r in table.rows if r.cells]
            if table.rows:
                self.blocks.append(table)
        elif self._table_depth:
            return
        elif tag == "thead":
            self._in_thead = False
        elif tag in ("td", "th", "tr"):
            self._flush()
            self._cell = None
        elif tag in ("ol", "ul"):
            self._flush()
            self._reset_kind()
            if self._lists:
                self._lists.pop()
        elif tag == "li":
            self._flush()
            self._reset_kind()
        elif tag in _PARAGRAPH_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip or not data:
            return
        data = xml_safe(data)
        if not data:
            return
        if self._table is not None and self._cell is None and not data.strip(" \t\n\r\f"):
            return  # whitespace between table tags
        self._runs.append(Run(data, bool(self._bold), bool(self._italic), bool(self._underline)))

    def close(self) -> None:
        super().close()
        self._flush()
        if self._table is not None:
            table = self._table
            self._table, self._cell = None, None
            table.rows = [r for r in table.rows if r.cells]
            if table.rows:
                self.blocks.append(table)


def parse_body_html(html: str) -> list[Block]:
    """Return the body's paragraphs and tables in document order."""
    parser = _BodyParser()
    parser.feed(html)
    parser.close()
    for block in parser.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                if row.cells and all(c.header for c in row.cells):
                    row.header = True
    return parser.blocks
