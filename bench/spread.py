"""A figure measured over repeated runs: its median, and its lowest and highest value."""
from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    values: tuple[float, ...]

    @classmethod
    def of(cls, values) -> "Spread":
        return cls(tuple(values))

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def ratio(self, digits: int = 2) -> str:
        """"1.04x (0.98-1.10)": the median and the range over the runs."""
        if len(self.values) == 1:
            return f"{self.median:.{digits}f}x (one run)"
        return f"{self.median:.{digits}f}x ({min(self.values):.{digits}f}-{max(self.values):.{digits}f})"
