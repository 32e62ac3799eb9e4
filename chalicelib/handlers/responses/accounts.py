"""Organizations, customers and their contacts, portal sessions, and saved payment methods."""
from __future__ import annotations

from datetime import datetime
from typing import Any, TYPE_CHECKING, Literal

from pydantic import Field

from ...domain.action_links import ACTIONS
from ...domain.currencies import exponent
from ...domain.preferences import DunningSettings, Preferences
from .shared import Address, Answer, CurrencyExponent, GivenOnly, Items, Money, OrganizationDetails, Page

if TYPE_CHECKING:
    from ...domain.customers import Contact as Person, Customer as Client
    from ...services.accounts.customers import ListedCustomer as Listed
    from ...services.accounts.dashboard import Home
    from ...domain.payments import PaymentMethod as SavedMethod
    from ...domain.organization import Organization as Merchant
    from ...services.access import action_links as links
    from ...services.access.people import Person as AccountPerson
    from ...services.access.portal_auth import Invitation as Invited
    from ...services.accounts.profile import Details
    from ...services.accounts.tax_ids import TaxIds
    from ...services.payments.methods import CardSetup as Setup
    from ...services.subscriptions.scheduled import TestClockRun as ClockRun

CustomValue = str | int | float | bool | None


class Contact(Answer):
    contact_id: str
    first_name: str
    last_name: str
    email: str
    phone: str
    is_primary: bool


class CustomerContact(Contact):
    locale: str         # how the contact's browser writes money and days; "" until it uses the portal


class Customer(Answer):
    """A customer as the back office sees it."""
    customer_id: str
    display_name: str
    email: str
    currency: str
    currency_exponent: CurrencyExponent
    company_name: str
    phone: str
    billing_address: Address
    shipping_address: Address
    contacts: list[CustomerContact]
    custom_fields: dict[str, CustomValue]
    tax_ids: list[TaxId]            # as documents issued now print them (the customer manages them in the portal)
    gateway_customer_id: str | None
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def of(cls, customer: Client) -> Customer:
        return cls.mirroring(customer, billing_address=Address.of(customer.billing_address),
                             shipping_address=Address.of(customer.shipping_address),
                             contacts=[CustomerContact.mirroring(contact) for contact in customer.contacts],
                             tax_ids=[TaxId.mirroring(tax_id) for tax_id in customer.tax_ids])


class ListedContact(CustomerContact):
    # none: no account yet (an invitation may be sent); invited: not accepted yet (it may be sent
    # again); active, disabled: has an account (nothing to send)
    portal_access: Literal["none", "invited", "active", "disabled"]


class ListedCustomer(Customer):
    """A customer in the back office's list: each contact with where it stands with the portal."""
    contacts: list[ListedContact]

    @classmethod
    def of(cls, listed: Listed) -> ListedCustomer:
        customer, access = listed.customer, listed.portal_access
        return cls.mirroring(customer, billing_address=Address.of(customer.billing_address),
                             shipping_address=Address.of(customer.shipping_address),
                             contacts=[ListedContact.mirroring(contact, portal_access=access[contact.contact_id])
                                       for contact in customer.contacts],
                             tax_ids=[TaxId.mirroring(tax_id) for tax_id in customer.tax_ids])


class CustomerPage(Page[ListedCustomer]):
    pass   # answered by `Page.of`


class Invitation(Answer):
    contact_id: str
    email: str
    role: Literal["owner", "billing", "viewer"]
    status: Literal["invited"]
    expires_at: datetime

    @classmethod
    def of(cls, invitation: Invited) -> Invitation:
        return cls.mirroring(invitation)


class CustomFieldDefinition(Answer):
    key: str
    label: str
    type: Literal["text", "number", "date", "boolean", "email", "url", "dropdown"]
    options: list[str]
    show_in_portal: bool
    required: bool


class PortalPreferences(Answer):
    preferences: Preferences

    @classmethod
    def of(cls, org: Merchant) -> PortalPreferences:
        return cls(preferences=org.preferences)


class Organization(OrganizationDetails):
    """The merchant's organization with its settings."""
    preferences: Preferences
    dunning: DunningSettings
    payment_terms_days: int
    custom_fields: list[CustomFieldDefinition]
    portal_name: str       # the portal's address, <portal>/?portal=<portal_name>; "" none chosen yet
    postal_address: Address   # its parts, as the merchant gave them (`address`: the lines documents print)
    test_mode: bool
    test_clock_at: datetime | None
    locale: str     # how emails and PDFs write money and days for a contact whose browser was never seen

    @classmethod
    def of(cls, org: Merchant) -> Organization:
        return super().of(org, custom_fields=[CustomFieldDefinition.mirroring(f) for f in org.custom_fields],
                          postal_address=Address.of(org.address))


class WorkDone(Answer):
    subscription_id: str
    work: str
    status: str      # the subscription's, after the work


class TestClock(Answer):
    """What an advance ran. `complete` is false when its time budget ran out first: call again with
    the same `advance_to` to go on."""
    test_clock_at: datetime
    done: list[WorkDone]
    failed: list[str]     # subscription ids
    complete: bool

    @classmethod
    def of(cls, run: ClockRun) -> TestClock:
        return cls.mirroring(run, done=[WorkDone.mirroring(work) for work in run.done])


# --- signing in -------------------------------------------------------------------------------

class Session(Answer):
    token: str
    token_type: Literal["Bearer"]
    expires_at: datetime
    idle_timeout_seconds: int


class SecondFactorChallenge(Answer):
    """Answer it at /portal/auth/login/second-factor with a code before `expires_at`;
    `enrolment_required`: set up the second factor first (/portal/auth/login/enrolment)."""
    challenge: str
    expires_at: datetime
    enrolment_required: bool


class SignIn(GivenOnly):
    """A session (the token and its limits), or, for an account with a second factor, only
    `second_factor`: no session exists until its code is right. `recovery_codes`: shown once, after
    an enrolment at sign-in."""
    token: str | None = None
    token_type: Literal["Bearer"] | None = None
    expires_at: datetime | None = None
    idle_timeout_seconds: int | None = None
    second_factor: SecondFactorChallenge | None = None
    recovery_codes: list[str] | None = None

    @classmethod
    def of(cls, answer) -> SignIn:
        """From a started session, or from a challenge (what has `challenge`) to answer first."""
        if hasattr(answer, "challenge"):
            return cls(second_factor=SecondFactorChallenge.mirroring(answer))
        return cls(token=answer.token, token_type="Bearer", expires_at=answer.expires_at,
                   idle_timeout_seconds=answer.idle_timeout_seconds)

    @classmethod
    def after_second_factor(cls, done) -> SignIn:
        """The session a second factor's code started, with the recovery codes an enrolment made (null: none)."""
        return cls.of(done.session).model_copy(update={"recovery_codes": list(done.recovery_codes) or None})


class SecondFactorEnrolment(Answer):
    """The secret, shown once: type it into an authenticator app, or open `otpauth_uri` with one."""
    secret: str
    otpauth_uri: str

    @classmethod
    def of(cls, enrolment) -> SecondFactorEnrolment:
        return cls.mirroring(enrolment)


class SecondFactorState(Answer):
    """How the signed-in account signs in: its second factor, and whether it has a password."""
    enabled: bool
    required: bool              # by the merchant: it cannot be turned off
    recovery_codes_left: int
    # docs/security.md "An account without a password": 403 fresh_sign_in_needed after 10 minutes
    has_password: bool = Field(description="Whether the account has a password to confirm changes with; "
                               "false: made without one, it proves itself by a sign-in under 10 minutes old")

    @classmethod
    def of(cls, state) -> SecondFactorState:
        return cls.mirroring(state)


class RecoveryCodes(Answer):
    """Each works once instead of a code; shown only now."""
    recovery_codes: list[str]

    @classmethod
    def of(cls, codes) -> RecoveryCodes:
        return cls(recovery_codes=list(codes))


class PasskeyOptions(Answer):
    """WebAuthn options (JSON, base64url) for navigator.credentials.create or .get: answer them
    within 5 minutes, once."""
    options: dict[str, Any]

    @classmethod
    def of(cls, options: dict[str, Any]) -> PasskeyOptions:
        return cls(options=options)


class Passkey(Answer):
    """A passkey of my account: its id (the credential's), the name I gave it, when it was added and last used."""
    passkey_id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None

    @classmethod
    def of(cls, listed) -> "Passkey":
        return cls(passkey_id=listed.passkey_id, name=listed.name, created_at=listed.created_at,
                   last_used_at=listed.last_used_at)


class PasskeyList(Answer):
    passkeys: list[Passkey]

    @classmethod
    def of(cls, listed) -> "PasskeyList":
        return cls(passkeys=[Passkey.of(each) for each in listed])


class PasswordChanged(Answer):
    other_sessions_ended: int

    @classmethod
    def of(cls, ended: int) -> PasswordChanged:
        return cls(other_sessions_ended=ended)


class Notice(Answer):
    message: str


ActionName = Literal[tuple(ACTIONS)]


class ActionLinkMade(Answer):
    """The link, shown only now (its hash alone is kept): send it to the customer."""
    url: str
    action: ActionName
    target_id: str | None
    expires_at: datetime

    @classmethod
    def of(cls, made: links.MadeActionLink) -> ActionLinkMade:
        return cls.mirroring(made)


class ActionLinkDestination(Answer):
    """Where the link's action is done: a portal route, to open as `#<route>`."""
    action: ActionName
    target_id: str | None
    route: str

    @classmethod
    def of(cls, destination: links.Destination) -> ActionLinkDestination:
        return cls.mirroring(destination)


class SignInMethods(Answer):
    """How this portal signs in: a password, a link emailed to the account's address, a passkey."""
    password: bool
    link: bool
    passkey: bool


class PortalSignIn(Answer):
    """What the sign-in page of an organization's portal shows and sends (no id to type)."""
    org_id: str
    name: str
    portal_name: str
    logo_path: str      # where the portal serves the merchant's logo; "" none
    sign_in: SignInMethods

    @classmethod
    def of(cls, org) -> PortalSignIn:
        prefs = org.preferences
        return cls.mirroring(org, sign_in=SignInMethods(password=prefs.password_sign_in, link=prefs.link_sign_in,
                                                        passkey=prefs.passkeys))


class PasswordRules(Answer):
    """The rules a new password must meet, as the server checks them."""
    min_length: int
    max_length: int

    @classmethod
    def of_the_policy(cls) -> PasswordRules:
        from ...domain.password_policy import MAX_LENGTH, MIN_LENGTH
        return cls(min_length=MIN_LENGTH, max_length=MAX_LENGTH)


class ContactLocale(Answer):
    locale: Literal["en-US", "en-GB", "de-DE"]


# --- the home screen and my details -------------------------------------------------------------

class Outstanding(Answer):
    count: int
    total_minor: int
    currency: str
    currency_exponent: CurrencyExponent


class LastPayment(Money):
    payment_id: str
    date: datetime
    invoice_id: str | None


class DashboardContact(Answer):
    name: str
    email: str
    phone: str


class CardSummary(Answer):
    payment_method_id: str
    summary: str            # "Visa •••• 4242"
    exp_month: int
    exp_year: int
    is_default: bool


class MyDetails(Answer):
    display_name: str
    company_name: str
    email: str
    phone: str
    billing_address: list[str]      # the address's lines, as printed
    shipping_address: list[str]
    contact: DashboardContact | None
    payment_methods: list[CardSummary]


class PendingApprovals(Answer):
    estimates: int
    timesheets: int


class Dashboard(Answer):
    outstanding: Outstanding
    available_credits: Money
    last_payment: LastPayment | None
    my_details: MyDetails
    pending_approvals: PendingApprovals
    organization: OrganizationDetails

    @classmethod
    def of(cls, home: Home) -> Dashboard:
        """The answer from the typed result of the use case (services/accounts/dashboard.py)."""
        figures, customer, contact = home.figures, home.customer, home.contact
        currency = {"currency": figures.currency, "currency_exponent": exponent(figures.currency)}
        last = None
        if figures.last_payment_id:
            last = LastPayment(payment_id=figures.last_payment_id, amount_minor=figures.last_payment_minor,
                               date=figures.last_payment_at, invoice_id=figures.last_payment_invoice_id, **currency)
        return cls(
            outstanding=Outstanding(count=figures.outstanding_count, total_minor=figures.outstanding_minor, **currency),
            available_credits=Money(amount_minor=figures.credits_minor, **currency),
            last_payment=last,
            my_details=MyDetails(
                display_name=customer.display_name, company_name=customer.company_name, email=customer.email,
                phone=customer.phone, billing_address=list(customer.billing_address.lines()),
                shipping_address=list(customer.shipping_address.lines()),
                contact=DashboardContact(name=contact.name, email=contact.email, phone=contact.phone) if contact
                else None,
                payment_methods=[CardSummary(payment_method_id=m.payment_method_id, summary=m.summary,
                                             exp_month=m.exp_month, exp_year=m.exp_year, is_default=m.is_default)
                                 for m in home.payment_methods]),
            pending_approvals=PendingApprovals(estimates=figures.pending_estimates,
                                               timesheets=figures.pending_timesheets),
            organization=OrganizationDetails.of(home.organization))



class ProfileContact(Answer):
    contact_id: str
    first_name: str
    last_name: str
    name: str
    email: str
    phone: str
    is_primary: bool


class ProfileCustomer(Answer):
    customer_id: str
    display_name: str
    company_name: str
    email: str
    phone: str
    billing_address: Address
    shipping_address: Address


class ProfileField(Answer):
    """A custom field the merchant shows in the portal, with this customer's value."""
    key: str
    label: str
    type: Literal["text", "number", "date", "boolean", "email", "url", "dropdown"]
    options: list[str]
    required: bool
    value: CustomValue


class Profile(Answer):
    contact: ProfileContact
    customer: ProfileCustomer
    custom_fields: list[ProfileField]
    editable: bool
    # After a change of sign-in email: the address a confirmation link is on its way to (whether or
    # not it can be taken, which the answer does not tell); the contact keeps its email until then.
    # Left out of the answer while no change is pending.
    pending_email: str | None = Field(default=None, exclude_if=lambda email: email is None)

    @classmethod
    def of(cls, details: Details) -> Profile:
        """The answer from the typed result of the use case (services/accounts/profile.py)."""
        customer = details.customer
        return cls(
            contact=ProfileContact.mirroring(details.contact),
            customer=ProfileCustomer.mirroring(customer, billing_address=Address.mirroring(customer.billing_address),
                                               shipping_address=Address.mirroring(customer.shipping_address)),
            custom_fields=[ProfileField.mirroring(field, value=customer.custom_fields.get(field.key))
                           for field in details.fields],
            editable=details.editable, pending_email=details.pending_email)


class ContactPerson(Answer):
    contact_id: str
    name: str
    email: str
    is_primary: bool

    @classmethod
    def of(cls, contact: Person) -> ContactPerson:
        return cls.mirroring(contact)


class ContactList(Items[ContactPerson]):
    pass   # answered by `Items.of`


class PortalPerson(Answer):
    """Someone of my account and what they may do in the portal (docs/security.md "Roles")."""
    contact_id: str
    name: str
    email: str
    role: Literal["owner", "billing", "viewer", "removed"]
    portal_status: Literal["invited", "active", "none"]   # none: no account yet, or its access removed

    @classmethod
    def of(cls, person: AccountPerson) -> PortalPerson:
        return cls.mirroring(person.contact, role=person.role, portal_status=person.portal_status)


class PeopleList(Items[PortalPerson]):
    pass   # answered by `Items.of`


class TaxId(Answer):
    """One of my tax IDs: its kind and its number, normalised (as documents print it)."""
    tax_id: str
    type: Literal["eu_vat", "gb_vat", "au_abn", "in_gst", "us_ein"]
    value: str


class TaxIdList(Items[TaxId]):
    required: bool      # the merchant asks for one: the portal prompts while there is none, the last stays

    @classmethod
    def of(cls, tax_ids: TaxIds) -> TaxIdList:
        return cls(items=[TaxId.mirroring(tax_id) for tax_id in tax_ids.items], required=tax_ids.required)


# --- saved payment methods ----------------------------------------------------------------------

class PaymentMethod(Answer):
    """A saved card, as the portal shows it (never its gateway ids)."""
    payment_method_id: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    is_default: bool
    summary: str            # "Visa •••• 4242"
    created_at: datetime

    @classmethod
    def of(cls, method: SavedMethod) -> PaymentMethod:
        return cls.mirroring(method)


class PaymentMethodList(Items[PaymentMethod]):
    pass   # answered by `Items.of`


class CardSetup(Answer):
    """What Stripe.js needs to collect a card (the simulated gateway lists its test ids)."""
    gateway: Literal["simulated", "stripe"]
    publishable_key: str | None
    setup_id: str
    client_secret: str
    # the simulated gateway's (left out of Stripe's answer)
    test_payment_methods: list[str] = Field(default=[], exclude_if=lambda ids: not ids)

    @classmethod
    def of(cls, setup: Setup) -> CardSetup:
        return cls.mirroring(setup, test_payment_methods=list(setup.test_payment_methods))


