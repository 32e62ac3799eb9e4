"""Estimates (quotes) sent to a customer for acceptance."""
from __future__ import annotations

from pynamodb.attributes import (ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute,
                                 VersionAttribute)
from pynamodb.indexes import AllProjection, LocalSecondaryIndex
from pynamodb.models import Model

from ..domain.documents import Estimate
from .base import OwnedByCustomer, table
from .documents import Documents


class EstimatesByStatus(LocalSecondaryIndex):
    class Meta:
        index_name = "owner-status"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    status_key = UnicodeAttribute(range_key=True)


@table("estimates")
class EstimateItem(OwnedByCustomer, Model):
    class Meta:
        pass

    estimate_id = UnicodeAttribute(range_key=True)
    number = UnicodeAttribute()
    currency = UnicodeAttribute()
    status = UnicodeAttribute()
    status_key = UnicodeAttribute()
    issued_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute()
    lines = ListAttribute(default=list)
    total_minor = NumberAttribute()
    notes = UnicodeAttribute(default="")
    decided_at = UTCDateTimeAttribute(null=True)
    decided_by = UnicodeAttribute(null=True)
    comment = UnicodeAttribute(default="")
    version = VersionAttribute()

    by_status = EstimatesByStatus()


class Estimates(Documents):
    model, domain, id_field, kind = EstimateItem, Estimate, "estimate_id", "estimate"
