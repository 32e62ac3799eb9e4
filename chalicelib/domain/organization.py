"""The merchant: its public details, portal preferences and billing settings."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from .calendar import DEFAULT_TIME_ZONE, local_date
from .customers import Address, CustomFieldDefinition
from .locales import DEFAULT_LOCALE
from .logos import logo_path
from .preferences import DunningSettings, Preferences


@dataclass(frozen=True)
class IssuedBy:
    """Who the merchant's documents said issued them until `until` (its billing time): its name and
    the lines under it (address, email, phone, website) as they were before a change."""
    name: str
    address: Address
    email: str
    phone: str
    website: str
    until: datetime


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
    # who documents issued before each change of its details said issued them
    issuer_history: tuple[IssuedBy, ...] = ()
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

    def issued_by(self, until: datetime) -> IssuedBy:
        return IssuedBy(self.name, self.address, self.email, self.phone, self.website, until)

    def as_issuer_at(self, issued_at: datetime) -> "Organization":
        """The organization as a document issued at `issued_at` names its issuer: its name, address,
        email, phone and website then (an invoice keeps the seller's details it was issued with)."""
        then = next((entry for entry in self.issuer_history if issued_at < entry.until), None)
        if then is None:
            return self
        return replace(self, name=then.name, address=then.address, email=then.email, phone=then.phone,
                       website=then.website)

    def keeping_issuer_history(self, before: "Organization", real_now: datetime) -> "Organization":
        """This organization (changed from `before` at `real_now`) remembering who its documents said
        issued them until now (its billing time), if that changed."""
        until = before.now(real_now)
        if before.issued_by(until) == self.issued_by(until):
            return self
        return replace(self, issuer_history=before.issuer_history + (before.issued_by(until),))


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
