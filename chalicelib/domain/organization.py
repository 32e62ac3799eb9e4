"""The merchant: its public details, portal preferences and billing settings."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .calendar import DEFAULT_TIME_ZONE, local_date
from .customers import Address, CustomFieldDefinition
from .locales import DEFAULT_LOCALE
from .logos import logo_path
from .preferences import DunningSettings, Preferences


@dataclass(frozen=True)
class Organization:
    org_id: str
    name: str
    email: str                       # the primary contact's address: customer emails go here
    currency: str
    created_at: datetime
    phone: str = ""
    website: str = ""
    address: Address = field(default_factory=Address)
    preferences: Preferences = field(default_factory=Preferences)
    dunning: DunningSettings = field(default_factory=DunningSettings)
    custom_fields: tuple[CustomFieldDefinition, ...] = ()
    payment_terms_days: int = 15
    time_zone: str = DEFAULT_TIME_ZONE      # IANA name: where the organization's billing days begin
    locale: str = DEFAULT_LOCALE            # how emails and PDFs write money and days for a contact never seen
    portal_name: str = ""                   # the portal's address (domain/portal_address.py); "" none yet
    logo: str = ""                          # the version of its logo (domain/logos.py); "" none
    test_mode: bool = False
    test_clock_at: datetime | None = None   # test mode: the organization's own "now"
    version: int | None = None

    @property
    def logo_path(self) -> str:
        """Where the portal serves its logo (its address names the version); "" none."""
        return logo_path(self.org_id, self.logo)

    def now(self, real_now: datetime) -> datetime:
        """The time this organization's billing runs at: a test clock, or the real time."""
        return billing_now(real_now, self.test_mode, self.test_clock_at)

    def today(self, real_now: datetime) -> date:
        """The organization's date at `real_now` (its clock, in its time zone)."""
        return billing_today(real_now, self.time_zone, self.test_mode, self.test_clock_at)


def billing_now(real_now: datetime, test_mode: bool, test_clock_at: datetime | None) -> datetime:
    """An organization's billing time: its test clock in test mode once set, else the real time."""
    if test_mode and test_clock_at is not None:
        return test_clock_at
    return real_now


def billing_today(real_now: datetime, time_zone: str, test_mode: bool, test_clock_at: datetime | None) -> date:
    """An organization's date: its billing time in its time zone."""
    return local_date(billing_now(real_now, test_mode, test_clock_at), time_zone)


def clock_name(org: Organization) -> str:
    """Which clock runs this organization's scheduled work: real time, or its own test clock."""
    return f"test:{org.org_id}" if org.test_mode else "live"
