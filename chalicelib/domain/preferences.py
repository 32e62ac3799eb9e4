"""Customer Portal Preferences: what the merchant lets customers do, with the reference defaults.

The dataclasses double as the validation schema of `PUT /admin/preferences`
(`__pydantic_config__` is read by pydantic at the edge; the domain does not import it).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from .errors import FeatureDisabled

_STRICT = {"extra": "forbid"}

When = Literal["immediately", "end_of_term"]
UnusedTime = Literal["credit", "keep"]
SignInWith = Literal["password", "link", "both"]   # what signs in besides a passkey


@dataclass(frozen=True)
class TrialPreferences:
    __pydantic_config__ = _STRICT
    convert_to_live: bool = False
    extend: bool = False
    extensions_allowed: int = 1
    cancel: bool = False

    def __post_init__(self):
        if not 0 <= self.extensions_allowed <= 10:
            raise ValueError("extensions_allowed must be between 0 and 10")


@dataclass(frozen=True)
class EditPreferences:
    __pydantic_config__ = _STRICT
    enabled: bool = False
    change_plan: bool = True
    allowed_plan_codes: tuple[str, ...] = ()  # empty: every active plan
    change_addons: bool = True
    change_coupon: bool = True
    apply_when: tuple[When, ...] = ("immediately", "end_of_term")


@dataclass(frozen=True)
class PauseResumePreferences:
    """`unused_time`: what becomes of the paid, unused days of a term when it is paused: "credit"
    issues a credit note for them (by day), "keep" carries them over to after the resume, before
    the next invoice."""
    __pydantic_config__ = _STRICT
    enabled: bool = False
    customer_can_resume: bool = False
    unused_time: UnusedTime = "credit"


@dataclass(frozen=True)
class RetentionOffer:
    """A coupon of the catalogue offered once per subscription in the cancel flow, discounting
    `cycles` terms whatever the coupon's own duration."""
    __pydantic_config__ = _STRICT
    coupon_code: str
    cycles: int = 1

    def __post_init__(self):
        if not 1 <= len(self.coupon_code) <= 50:
            raise ValueError("coupon_code must be 1 to 50 characters")
        if not 1 <= self.cycles <= 36:
            raise ValueError("cycles must be between 1 and 36")


@dataclass(frozen=True)
class CancelPreferences:
    """`reasons`: what the cancel dialog offers to choose from (none: the reason is free text);
    `reason_required`: cancelling needs one; `comments`: the customer may add words of their own.
    `retention_offer`: shown once per subscription before it is cancelled."""
    __pydantic_config__ = _STRICT
    enabled: bool = False
    apply_when: tuple[When, ...] = ("immediately", "end_of_term")
    reasons: tuple[str, ...] = ()
    reason_required: bool = False
    comments: bool = False
    retention_offer: RetentionOffer | None = None

    def __post_init__(self):
        if len(self.reasons) > 20 or len(set(self.reasons)) != len(self.reasons) or any(
                not 1 <= len(reason.strip()) <= 80 or reason != reason.strip() for reason in self.reasons):
            raise ValueError("reasons must be at most 20 different texts of 1 to 80 characters")
        if isinstance(self.retention_offer, dict):   # read back from storage
            object.__setattr__(self, "retention_offer", RetentionOffer(**self.retention_offer))


@dataclass(frozen=True)
class EmailPreferences:
    """Which documents the customer is emailed about as they are issued (each email carries an
    action link to pay or answer it in the portal)."""
    __pydantic_config__ = _STRICT
    invoice_issued: bool = True       # an invoice with something to pay; not one a saved card is charged for
    estimate_sent: bool = True


@dataclass(frozen=True)
class Preferences:
    __pydantic_config__ = _STRICT
    subscriptions: bool = True
    trial: TrialPreferences = field(default_factory=TrialPreferences)
    edit_subscription: EditPreferences = field(default_factory=EditPreferences)
    auto_charge: bool = False
    pause_resume: PauseResumePreferences = field(default_factory=PauseResumePreferences)
    cancel: CancelPreferences = field(default_factory=CancelPreferences)
    reactivate: bool = False
    forward_documents: bool = True
    update_customer_details: bool = True
    reviews: bool = True
    require_second_factor: bool = False   # every portal user signs in with a code after the password
    require_tax_id: bool = False          # the customer keeps at least one tax ID; the portal asks for one
    undo_minutes: int = 30                # how long an immediate cancellation or downgrade may be undone (0: never)
    sign_in_with: SignInWith = "password"  # a password, a link emailed to the account's address, or either
    passkeys: bool = True                 # a passkey signs in, where the browser has one
    emails: EmailPreferences = field(default_factory=EmailPreferences)

    def __post_init__(self):
        if not 0 <= self.undo_minutes <= 1440:
            raise ValueError("undo_minutes must be between 0 and 1440 (a day)")

    @property
    def password_sign_in(self) -> bool:
        return self.sign_in_with in ("password", "both")

    @property
    def link_sign_in(self) -> bool:
        return self.sign_in_with in ("link", "both")

    def enabled_features(self) -> dict[str, bool]:
        """Flat feature flags for `/portal/me` (what the browser shows)."""
        subs = self.subscriptions
        return {
            "subscriptions": subs,
            "trial_convert": subs and self.trial.convert_to_live,
            "trial_extend": subs and self.trial.extend,
            "trial_cancel": subs and self.trial.cancel,
            "edit_subscription": subs and self.edit_subscription.enabled,
            "auto_charge": subs and self.auto_charge,
            "pause_resume": subs and self.pause_resume.enabled,
            "customer_resume": subs and self.pause_resume.enabled and self.pause_resume.customer_can_resume,
            "cancel": subs and self.cancel.enabled,
            "reactivate": subs and self.reactivate,
            "forward_documents": self.forward_documents,
            "update_customer_details": self.update_customer_details,
            "reviews": self.reviews,
        }

    def require(self, feature: str) -> None:
        if not self.enabled_features()[feature]:
            raise FeatureDisabled(feature)

    def to_dict(self) -> dict:
        return _lists(asdict(self))


def preferences_from_dict(data: dict | None) -> Preferences:
    """Rebuild from stored data; unknown keys (from older versions) are ignored."""
    data = data or {}

    def part(cls, key):
        raw = data.get(key) or {}
        known = {k: (tuple(v) if isinstance(v, list) else v) for k, v in raw.items()
                 if k in cls.__dataclass_fields__}
        return cls(**known)

    flat = {k: data[k] for k in ("subscriptions", "auto_charge", "reactivate", "forward_documents",
                                 "update_customer_details", "reviews", "require_second_factor", "require_tax_id",
                                 "undo_minutes", "sign_in_with", "passkeys")
            if k in data}
    return Preferences(trial=part(TrialPreferences, "trial"),
                       edit_subscription=part(EditPreferences, "edit_subscription"),
                       pause_resume=part(PauseResumePreferences, "pause_resume"),
                       cancel=part(CancelPreferences, "cancel"), emails=part(EmailPreferences, "emails"), **flat)


def _lists(value):
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value


@dataclass(frozen=True)
class DunningSettings:
    """How failed renewals are retried, and what happens when retries run out. A retry whose day falls
    on or after the end of the unpaid term is not made: the dunning ends with the term (dunning.retry_days)."""
    __pydantic_config__ = _STRICT
    retry_after_days: tuple[int, ...] = (1, 3, 5)
    when_exhausted: Literal["unpaid", "cancel"] = "unpaid"

    def __post_init__(self):
        days = self.retry_after_days
        if len(days) > 10 or any(d < 1 or d > 60 for d in days) or list(days) != sorted(set(days)):
            raise ValueError("retry_after_days must be increasing whole days between 1 and 60")

    def to_dict(self) -> dict:
        return _lists(asdict(self))


def dunning_from_dict(data: dict | None) -> DunningSettings:
    data = data or {}
    return DunningSettings(retry_after_days=tuple(int(d) for d in data.get("retry_after_days", (1, 3, 5))),
                           when_exhausted=data.get("when_exhausted", "unpaid"))
