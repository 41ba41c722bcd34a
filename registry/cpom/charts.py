"""The campaign's charts: each numeric indicator over the CPOMs' years, one line per hospital, drawn as inline SVG
with a table of the same values beside it (contested and missing values leave a gap)."""

from dataclasses import dataclass

from registry.core import clock
from registry.cpom import campaign, workflow
from registry.cpom.models import CpomEngagement
from registry.cpom.services import NUMERIC_KINDS
from registry.cpom.wording import french_number, target_text

PALETTE = ("#1d3557", "#b02a37", "#1b6e3c", "#8a4f00", "#6f42c1", "#0b6b8a", "#5c636a", "#a0357a")
CHART_WIDTH, CHART_HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 240, 56, 16, 16, 32


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    target: str
    #: (year, value or None) for each year of the chart.
    values: tuple
    points: tuple

    @property
    def polyline(self) -> str:
        return " ".join(f"{x},{y}" for x, y, _year, _value in self.points)


@dataclass(frozen=True)
class LineChart:
    id: str
    title: str
    unit: str
    years: tuple
    series: tuple
    #: (y, label) of the horizontal grid lines; (x, year) of the axis labels.
    ticks: tuple
    year_ticks: tuple
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = LEFT

    @property
    def right(self) -> int:
        return CHART_WIDTH - RIGHT

    @property
    def description(self) -> str:
        parts = [f"{item.label} : " + ", ".join(f"{year} {french_number(value) if value is not None else 'non déclaré'}"
                                                for year, value in item.values) for item in self.series]
        return " ; ".join(parts) + "." if parts else "Aucune valeur."


def _chart_value(engagement: CpomEngagement, year: int):
    declaration = campaign.declaration_of(engagement, year)
    if declaration is None or declaration.status == workflow.CONTESTEE:
        return None
    value = declaration.value
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def indicator_charts(rows) -> list[LineChart]:
    """For each numeric indicator of the rows: its value each year of the CPOMs (up to today), one line per hospital;
    contested and missing values leave a gap."""
    by_indicator: dict[str, list] = {}
    for row in rows:
        if row.spec.kind in NUMERIC_KINDS:
            by_indicator.setdefault(row.spec.code, []).append(row)
    charts = []
    for code, items in by_indicator.items():
        years = tuple(range(min(row.cpom.effective_on.year for row in items),
                            min(max(row.cpom.ends_on.year for row in items), clock.today().year) + 1))
        raw = [(row, [(year, _chart_value(row.state.engagement, year)) for year in years]) for row in items]
        found = [value for _row, values in raw for _year, value in values if value is not None]
        found += [row.state.target.value for row in items if row.state.target.value is not None]
        top = (max(found) if found else 1) * 1.1 or 1
        step = (CHART_WIDTH - LEFT - RIGHT) / max(len(years) - 1, 1)

        def y_of(value):
            return round(TOP + (CHART_HEIGHT - TOP - BOTTOM) * (1 - value / top), 1)

        def x_of(index):
            return round(LEFT + step * index if len(years) > 1 else (LEFT + CHART_WIDTH - RIGHT) / 2, 1)
        series = []
        for index, (row, values) in enumerate(raw):
            points = tuple((x_of(position), y_of(value), year, value)
                           for position, (year, value) in enumerate(values) if value is not None)
            series.append(Series(f"{row.hospital.name}", PALETTE[index % len(PALETTE)],
                                 target_text(row.state.target, row.spec), tuple(values), points))
        spec = items[0].spec
        charts.append(LineChart(f"graphique-{code}", spec.label, spec.unit, years, tuple(series),
                                tuple((y_of(top * share / 1.1), french_number(round(top * share / 1.1, 3)))
                                      for share in (0, 0.5, 1)),
                                tuple((x_of(index), year) for index, year in enumerate(years))))
    return charts
