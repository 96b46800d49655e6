"""Timing two things against each other on a shared machine: A-B-B-A rounds.

Running A always before B lets a drift in load (or a warm cache, or a collector debt one run
leaves to the next) fall on one side only; the fixed order inflated bench/report_pdf.py's
ratio by 5–12 %. Here each round runs A, B, B, A (one warm-up of each first, not counted),
with gc.collect() before every run, and records wall time (time.perf_counter) and this
process's CPU time (time.process_time), the steadier figure when other processes load the
machine. The ratio B / A is given per round (both runs of each in the round) and over all
runs (medians); the load average is read before and after.
"""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Side:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def run(self, function: Callable[[], object]) -> object:
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)
        return result


class QueryCounter:
    """Counts the queries run, without keeping them (Django's own query log is reset by
    request_started mid-request, and CaptureQueriesContext stops at 9 000). Used as
    `with connection.execute_wrapper(counter):`."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class Alternation:
    a: Side
    b: Side
    rounds: int
    load_before: float
    load_after: float

    def _round_ratios(self, kind: str) -> list[float]:
        a, b = getattr(self.a, kind), getattr(self.b, kind)
        return [(b[2 * i] + b[2 * i + 1]) / (a[2 * i] + a[2 * i + 1]) for i in range(self.rounds)]

    def ratio(self, kind: str) -> float:
        """B / A from the medians of all runs ("wall" or "cpu")."""
        return statistics.median(getattr(self.b, kind)) / statistics.median(getattr(self.a, kind))

    def round_ratios(self, kind: str) -> str:
        return " ".join(f"{r:.2f}" for r in self._round_ratios(kind))

    def summary(self, label_a: str, label_b: str) -> list[str]:
        def side(label: str, s: Side) -> str:
            return (
                f"{label}: wall median {statistics.median(s.wall):.3f} s (min {min(s.wall):.3f}), "
                f"CPU median {statistics.median(s.cpu):.3f} s (min {min(s.cpu):.3f})"
            )

        return [
            f"A-B-B-A × {self.rounds} rounds ({2 * self.rounds} runs each, after one warm-up of each); "
            f"load average {self.load_before:.2f} before, {self.load_after:.2f} after, {os.cpu_count()} CPUs",
            side(f"A {label_a}", self.a),
            side(f"B {label_b}", self.b),
            f"B / A, CPU time: {self.ratio('cpu'):.3f} (medians); per round {self.round_ratios('cpu')}",
            f"B / A, wall time: {self.ratio('wall'):.3f} (medians); per round {self.round_ratios('wall')}",
        ]


def alternate(
    a: Callable[[], object], b: Callable[[], object], rounds: int, *, warm_up: bool = True
) -> Alternation:
    """Run a and b as A-B-B-A, `rounds` times; results of the calls are discarded."""
    if warm_up:
        a()
        b()
    load_before = os.getloadavg()[0]
    side_a, side_b = Side(), Side()
    for _ in range(rounds):
        side_a.run(a)
        side_b.run(b)
        side_b.run(b)
        side_a.run(a)
    return Alternation(side_a, side_b, rounds, load_before, os.getloadavg()[0])
