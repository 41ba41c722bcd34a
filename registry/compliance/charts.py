"""Server-drawn charts: 100 % stacked horizontal bars of verdict counts, as geometry that a Jinja macro writes
out as inline SVG (templates/compliance/_charts.html). No script, no external resource, no inline style (the
Content-Security-Policy forbids them): colours are SVG presentation attributes.

Colour is never the only signal: every segment wide enough carries its verdict's symbol and count, the legend
repeats symbols and labels, and each chart has a title, a description and a data table beside it.
"""

from collections import Counter
from dataclasses import dataclass

from registry.compliance.overview import LABELS, ORDER, SYMBOLS
from registry.compliance.requirements import A_RISQUE, MANQUANT, NON_EVALUE, NON_REQUIS, SATISFAIT

#: Segment fill and the text colour readable on it (contrast at least 4.5:1).
FILLS = {SATISFAIT: ("#1b6e3c", "#ffffff"), A_RISQUE: ("#f2c94c", "#1f1f1f"),
         MANQUANT: ("#b02a37", "#ffffff"), NON_REQUIS: ("#ced4da", "#1f1f1f"),
         NON_EVALUE: ("#9ec5fe", "#1f1f1f")}
LABEL_WIDTH = 230
BAR_WIDTH = 440
TOTAL_WIDTH = 90
BAR_HEIGHT = 22
GAP = 8
TOP = 8
#: Narrower segments show no text (the legend and the table still give their count).
MIN_TEXT_WIDTH = 30


@dataclass(frozen=True)
class Segment:
    verdict: str
    count: int
    x: float
    width: float
    fill: str
    text_colour: str

    @property
    def label(self) -> str:
        return LABELS[self.verdict]

    @property
    def text(self) -> str:
        return f"{SYMBOLS[self.verdict]} {self.count}" if self.width >= MIN_TEXT_WIDTH else ""

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    #: What the total counts, in French (« 12 hôpitaux », « 84 verdicts »).
    total_label: str
    y: float
    segments: tuple[Segment, ...]
    #: The counts by verdict, for the chart's data table.
    counts: Counter

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    label_width: int = LABEL_WIDTH
    bar_x: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def width(self) -> int:
        return LABEL_WIDTH + BAR_WIDTH + TOTAL_WIDTH

    @property
    def height(self) -> int:
        return TOP * 2 + len(self.bars) * (BAR_HEIGHT + GAP)

    @property
    def total_x(self) -> int:
        return LABEL_WIDTH + BAR_WIDTH + 8

    @property
    def legend(self) -> list[tuple[str, str, str, str]]:
        """(verdict, symbol, label, fill) in the segments' order."""
        return [(verdict, SYMBOLS[verdict], LABELS[verdict], FILLS[verdict][0]) for verdict in ORDER]


def stacked_bars(chart_id: str, title: str, rows: list[tuple[str, Counter, int, str]]) -> Chart:
    """A chart of one bar per (label, verdict counts, total, total label); each bar's segments share its width in
    proportion to their counts, worst verdict first."""
    bars = []
    for index, (label, counts, total, total_label) in enumerate(rows):
        y = TOP + index * (BAR_HEIGHT + GAP)
        segments, x = [], float(LABEL_WIDTH)
        verdicts = sum(counts[verdict] for verdict in ORDER)
        for verdict in ORDER:
            if not counts[verdict]:
                continue
            width = BAR_WIDTH * counts[verdict] / verdicts
            fill, text_colour = FILLS[verdict]
            segments.append(Segment(verdict, counts[verdict], round(x, 2), round(width, 2), fill, text_colour))
            x += width
        bars.append(Bar(label, total, total_label, y, tuple(segments), counts))
    description = " ; ".join(
        f"{bar.label} : " + ", ".join(f"{segment.count} {segment.label.lower()}" for segment in bar.segments)
        for bar in bars) + "." if bars else "Aucune donnée."
    return Chart(chart_id, title, description, tuple(bars))


def requirement_chart(totals: dict[str, Counter], titles: dict[str, str], hospitals: int) -> Chart:
    """Verdicts per requirement: one bar per requirement, its segments the hospitals of each verdict."""
    noun = "hôpital" if hospitals == 1 else "hôpitaux"
    return stacked_bars("graphique-exigences", "Verdicts par exigence",
                        [(titles[code], counts, hospitals, f"{hospitals} {noun}") for code, counts in totals.items()])


def departement_chart(counts: dict[str, Counter], label_of) -> Chart:
    """Verdicts per département: one bar per département, its segments all the verdicts of its hospitals."""
    return stacked_bars("graphique-departements", "Verdicts par département",
                        [(label_of(code) or "Non renseigné", counter, counter["hospitals"],
                          f"{counter['hospitals']} hôp.") for code, counter in counts.items()])
