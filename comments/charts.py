"""Bar charts drawn on the server as SVG: geometry here, markup in a template.

A chart is a few horizontal bars per row, one for each series, as wide as
its value against the largest one. Rows are labelled on the right, where a
Persian reader starts, and bars grow leftwards from there; each bar has its
value written past its end, right to left like the labels (the SVG's text
is anchored at its start, which in right-to-left text is its right edge).
The SVG carries no script and no style attribute, only classes that the
admin's stylesheet colours, so the CSP stays as it is. The same numbers
are given in a table beside the chart and as CSV (`Chart.csv_rows`).
"""

from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 170
VALUE_ROOM = 110  # left of the longest bar, for its value
BAR_HEIGHT = 14
BAR_GAP = 3
ROW_GAP = 12
TOP = 8


@dataclass
class Series:
    name: str  # for the legend, the table's heading and the CSV's
    shown: object = str  # value -> the text written at the bar's end and in the table
    raw: object = None  # value -> the CSV's cell (by default the value itself)


@dataclass
class Row:
    label: str
    values: list  # one per series; None where there is nothing to show
    raw_label: str = ""  # the CSV's first cell, when it differs from the label


@dataclass
class Bar:
    x: float
    y: float
    width: float
    series: int
    text: str
    text_x: float
    text_y: float


@dataclass
class Chart:
    slug: str
    title: str
    label_heading: str
    series: list[Series]
    rows: list[Row]
    note: str = ""
    extra_columns: list = field(default_factory=list)  # (heading, row -> shown, row -> raw)

    @property
    def height(self):
        return TOP * 2 + len(self.rows) * self._row_height()

    def _row_height(self):
        return len(self.series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + ROW_GAP

    @property
    def width(self):
        return WIDTH

    @property
    def label_x(self):
        return WIDTH - 4

    @property
    def axis_x(self):
        return WIDTH - LABEL_WIDTH

    def _largest(self):
        values = [v for row in self.rows for v in row.values if v is not None]
        return max(values, default=0) or 1

    def drawn_rows(self):
        """Each row's label position and its bars, in SVG units."""
        room = self.axis_x - VALUE_ROOM
        largest = self._largest()
        drawn = []
        for index, row in enumerate(self.rows):
            top = TOP + index * self._row_height()
            bars = []
            for number, value in enumerate(row.values):
                y = top + number * (BAR_HEIGHT + BAR_GAP)
                if value is None:
                    width, text = 0, "—"
                else:
                    width = max(room * value / largest, 1 if value else 0)
                    text = self.series[number].shown(value)
                x = self.axis_x - width
                bars.append(
                    Bar(
                        x=round(x, 1),
                        y=y,
                        width=round(width, 1),
                        series=number,
                        text=text,
                        text_x=round(x - 4, 1),
                        text_y=y + BAR_HEIGHT - 3,
                    )
                )
            label_y = top + (len(row.values) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP) / 2 + 5
            drawn.append((row, label_y, bars))
        return drawn

    def table_rows(self):
        """The table's cells: the label, each series' value as shown, then the extra columns."""
        for row in self.rows:
            cells = [
                "—" if value is None else self.series[number].shown(value)
                for number, value in enumerate(row.values)
            ]
            cells += [shown(row) for _heading, shown, _raw in self.extra_columns]
            yield row.label, cells

    def table_headings(self):
        return [series.name for series in self.series] + [c[0] for c in self.extra_columns]

    def csv_rows(self):
        """The CSV: a heading row, then one row per chart row, with plain numbers."""
        yield [self.label_heading, *map(str, self.table_headings())]
        for row in self.rows:
            cells = [row.raw_label or row.label]
            for number, value in enumerate(row.values):
                raw = self.series[number].raw
                cells.append("" if value is None else (raw(value) if raw else value))
            cells += [raw(row) for _heading, _shown, raw in self.extra_columns]
            yield cells
