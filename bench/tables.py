"""The benchmark's results: one row per wait and backend, the growth of a wait with the table,
and how both are printed (plain columns, or Markdown for docs/benchmarks.md)."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

UNITS = {"ms": (1000, "{:,.0f}"), "s": (1, "{:,.2f}"), "rows/s": (1, "{:,.0f}"), "MB": (1, "{:,.0f}"),
         "×": (1, "{:.2f}")}


def shown(value: float, unit: str) -> str:
    """A figure in its unit: milliseconds under 10 with a decimal, rates and sizes whole."""
    scale, form = UNITS[unit]
    if unit in ("ms", "s") and value * scale < 10:
        form = "{:.1f}" if unit == "ms" else "{:.3f}"
    return form.format(value * scale)


@dataclass
class Row:
    """One wait on one backend. `values` are raw figures (seconds for ms and s); a rate or a size
    is better when higher / lower as `higher_better` says; `target` is in the unit shown."""

    wait: str
    backend: str
    unit: str
    values: list[float]
    floor: float | None = None
    target: float | None = None
    higher_better: bool = False
    note: str = ""

    def shown(self, value: float | None) -> str:
        if value is None:
            return "—"
        return shown(value, self.unit)

    def median(self) -> float:
        return statistics.median(self.values)

    def ratio(self) -> str:
        if not self.floor:
            return "—"
        ratio = self.floor / self.median() if self.higher_better else self.median() / self.floor
        return f"{ratio:,.1f}×"

    def target_text(self) -> str:
        if self.target is None:
            return "—"
        return ("≥ " if self.higher_better else "≤ ") + shown(self.target, self.unit) + " " + self.unit

    def met(self) -> str:
        if self.target is None:
            return "—"
        ok = self.median() >= self.target if self.higher_better else self.median() <= self.target
        return "yes" if ok else "NO"

    def cells(self) -> list[str]:
        floor = self.shown(self.floor)
        return [self.wait + (f" ({self.note})" if self.note else ""), self.backend,
                f"{self.shown(self.median())} {self.unit}", self.shown(min(self.values)), self.shown(max(self.values)),
                floor, self.ratio(), self.target_text(), self.met()]


HEAD = ["wait", "backend", "median", "min", "max", "floor", "ratio", "target", "met?"]


@dataclass
class Growth:
    """The median of a wait at each table size."""

    wait: str
    backend: str
    unit: str
    medians: dict[int, float]

    def verdict(self) -> str:
        return verdict(self.medians)


def verdict(medians: dict[int, float]) -> str:
    """flat, log or linear, from the exponent b of time ∝ rows^b over the last step between
    sizes (where the table is largest, fixed costs such as a process start weigh least):
    b < 0.15 flat; b < 0.6 log (grows, far slower than the rows); else linear."""
    sizes = sorted(medians)
    if len(sizes) < 2 or medians[sizes[-2]] <= 0:
        return "—"
    small, big = sizes[-2], sizes[-1]
    exponent = math.log(max(medians[big], 1e-9) / medians[small]) / math.log(big / small)
    if exponent < 0.15:
        return "flat"
    return "log" if exponent < 0.6 else "linear"


def _print(head: list[str], body: list[list[str]], markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---" for _ in head) + "|")
        for cells in body:
            print("| " + " | ".join(cells) + " |")
        return
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    for cells in [head] + body:
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip())


def print_table(rows: list[Row], markdown: bool = False) -> None:
    _print(HEAD, [r.cells() for r in rows], markdown)


def print_growth(growth: list[Growth], sizes: tuple[int, ...], markdown: bool = False) -> None:
    head = ["growth", "backend"] + [f"{n:,} rows" for n in sizes] + ["grows"]
    body = []
    for g in growth:
        body.append([g.wait, g.backend] + [shown(g.medians[n], g.unit) + " " + g.unit if n in g.medians else "—"
                                           for n in sizes] + [g.verdict()])
    _print(head, body, markdown)
