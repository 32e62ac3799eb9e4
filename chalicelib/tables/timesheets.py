"""Timesheets a customer approves or rejects."""
from __future__ import annotations

from pynamodb.attributes import ListAttribute, UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, LocalSecondaryIndex
from pynamodb.models import Model

from ..domain.documents import Timesheet
from .base import OwnedByCustomer, table
from .documents import Documents


class TimesheetsByStatus(LocalSecondaryIndex):
    class Meta:
        index_name = "owner-status"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    status_key = UnicodeAttribute(range_key=True)


@table("timesheets")
class TimesheetItem(OwnedByCustomer, Model):
    class Meta:
        pass

    timesheet_id = UnicodeAttribute(range_key=True)
    project = UnicodeAttribute()
    period_start = UnicodeAttribute()
    period_end = UnicodeAttribute()
    entries = ListAttribute(default=list)
    status = UnicodeAttribute()
    status_key = UnicodeAttribute()
    submitted_at = UTCDateTimeAttribute()
    decided_at = UTCDateTimeAttribute(null=True)
    decided_by = UnicodeAttribute(null=True)
    comment = UnicodeAttribute(default="")
    version = VersionAttribute()

    by_status = TimesheetsByStatus()


class Timesheets(Documents):
    model, domain, id_field, kind = TimesheetItem, Timesheet, "timesheet_id", "timesheet"
