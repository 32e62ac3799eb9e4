"""Calendar dates as item attributes: ISO 8601 text ("2027-01-31"), which sorts as it reads.

Items written before billing days were dates hold instants ("2027-01-31T00:00:00.000000+0000");
they read as the UTC date of that instant.
"""
from __future__ import annotations

from datetime import date, datetime

from pynamodb.attributes import Attribute
from pynamodb.constants import STRING


class DateAttribute(Attribute[date]):
    attr_type = STRING

    def serialize(self, value: date) -> str:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise TypeError(f"a calendar date is expected, got {value!r}")
        return value.isoformat()

    def deserialize(self, value: str) -> date:
        return date.fromisoformat(value[:10])
