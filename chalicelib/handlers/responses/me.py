"""What GET /portal/me answers, in a module of its own: the portal's first request after a cold start
is this one, and it builds only these models (the other account answers are built by their routes)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from .shared import Answer, OrganizationDetails

if TYPE_CHECKING:
    from ...services.access.me import Me as SignedInCustomer


class MeContact(Answer):
    contact_id: str
    name: str
    email: str
    role: Literal["owner", "billing", "viewer"]   # what they may do in the portal (docs/security.md "Roles")
    locale: str         # kept from the browser (PUT /portal/me/locale): emails and PDFs write money and days so


class MeCustomer(Answer):
    customer_id: str
    display_name: str


class Features(Answer):
    """Which portal features the merchant turned on (Customer Portal Preferences, flattened)."""
    subscriptions: bool
    trial_convert: bool
    trial_extend: bool
    trial_cancel: bool
    edit_subscription: bool
    auto_charge: bool
    pause_resume: bool
    customer_resume: bool
    cancel: bool
    reactivate: bool
    forward_documents: bool
    update_customer_details: bool
    reviews: bool


class Me(Answer):
    contact: MeContact
    customer: MeCustomer
    organization: OrganizationDetails
    features: Features
    payments_mode: Literal["simulated", "stripe"]
    stripe_publishable_key: str | None = None   # what Stripe.js is started with; null in simulated mode

    @classmethod
    def of(cls, me: SignedInCustomer, *, stripe_publishable_key: str | None) -> Me:
        """The answer from the typed result of the use case (services/access/me.py)."""
        return cls(contact=MeContact.mirroring(me.contact, role=me.role),
                   customer=MeCustomer.mirroring(me.customer), organization=OrganizationDetails.of(me.organization),
                   features=Features(**me.organization.preferences.enabled_features()),
                   payments_mode=me.payments_mode, stripe_publishable_key=stripe_publishable_key)
