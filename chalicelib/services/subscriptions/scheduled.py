"""Carrying out what was scheduled on subscriptions, exactly once however often it runs: future
starts, trial ends, cancellations at term end, pauses and resumes, renewals and dunning retries.

For each shard of a clock ("live", or an organization's test clock "test:<org_id>") the runner
queries the `due` index for work due at `now`, claims each subscription with a conditional write
(the version read, nobody else holding it), does the work (domain/scheduling.py says what), and
writes the subscription back with its documents and activity in one transaction. A term's first
charge comes after that transaction, the claim still held and a marker left on the subscription,
so a crash in between is finished by a later run with the same idempotency key: never a second
invoice or charge. One subscription's failure is logged with its id; the batch goes on. A run
stops at its time budget; the next run continues.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from itertools import islice

from ... import logs
from ...domain import charge_attempts, email_words, paying, scheduling, settling
from ...domain.action_links import for_email as action_link_for
from ...domain.account_summary import SummaryChange, credit_note_moved
from ...domain.billing import Bill
from ...domain.documents import InvoiceStatus
from ...domain.engagement import ActivityRecord, Actor
from ...domain.errors import STATUS_WORDS, BusinessRuleViolation, InvalidInput, NotFound
from ...domain.ids import new_id
from ...domain.locales import money_text
from ...domain.money import Money
from ...domain.organization import Organization, clock_name
from ...domain.payments import PaymentStatus
from ...domain.scheduling import Work
from ...domain.subscription import Subscription
from ...domain.subscription_status import Status
from ...tables.emails import EmailRecord
from ..accounts import languages, outbox as mail
from ..documents import document_emails, invoicing
from ..documents.invoicing import Billing
from ..numbering import Numbers, retried
from ..payments import collection
from . import dunning_emails

log = logs.logger("portico")

LEASE = timedelta(minutes=5)          # a run acts on a subscription well within this
PAGE = 25                             # due items read per Query
JOB = Actor("job", "scheduler")
TEST_CLOCK_BUDGET_SECONDS = 20.0      # one advance answers within an API request's time
# What each email about a failed charge asks the customer to do: a card to replace (the next retry
# charges it), or a payment of the invoice to authenticate.
EMAIL_ACTIONS = {"payment_failed": "update_payment_method", "payment_action_required": "pay_invoice"}


@dataclass(frozen=True)
class WorkDone:
    """The work a run did on one subscription, and the subscription's status after it."""
    subscription_id: str
    work: str             # scheduling.Work's value
    status: str           # Status's value


@dataclass
class RunReport:
    done: list[WorkDone] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)    # subscription ids (logged with the error)
    stopped_early: bool = False                        # the time budget ran out
    left_over: int = 0    # due items not reached when it did (counted up to a page a shard: a floor)

    def as_dict(self) -> dict:
        """What the scheduled job returns (Lambda writes it to the job's invocation record)."""
        return {"done": [asdict(work) for work in self.done], "failed": self.failed,
                "stopped_early": self.stopped_early, "left_over": self.left_over}


@dataclass(frozen=True)
class TestClockRun:
    """What advancing a test clock ran; `complete` is False when its time budget ran out first."""
    __test__ = False      # not a test class, whatever pytest makes of its name
    test_clock_at: datetime
    done: tuple[WorkDone, ...]
    failed: tuple[str, ...]       # subscription ids
    complete: bool


@dataclass(frozen=True)
class _Outcome:
    status: PaymentStatus
    reason: str | None = None
    failure_code: str | None = None
    carried_along: bool = True    # a success that was a charge, the invoices carried along (not one paid before)

    @property
    def needs_customer(self) -> bool:
        """The bank asks the customer to authenticate: only they can pay it, on-session."""
        return self.status == PaymentStatus.REQUIRES_ACTION or self.failure_code == "authentication_required"


@dataclass(frozen=True)
class _Job:
    org: Organization
    clock: str
    now: datetime

    @property
    def org_id(self) -> str:
        return self.org.org_id


def run_due(adapters, clock: str, now: datetime, *, budget_seconds: float | None = None,
            page: int = PAGE) -> RunReport:
    """Do the work due at `now` on `clock`, shard by shard, until done or the budget runs out
    (by default the job's, which the template derives from its Lambda timeout)."""
    budget = adapters.settings.job_time_budget_seconds if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    report, orgs = RunReport(), {}
    subscriptions = adapters.uow.subscriptions
    shards = list(subscriptions.shards())
    for position, shard in enumerate(shards):
        found_in_shard = subscriptions.due(clock, shard, now, page=page)
        for found in found_in_shard:
            if time.monotonic() > deadline:
                report.stopped_early = True
                report.left_over = 1 + _counted(found_in_shard, page - 1) + sum(
                    _counted(subscriptions.due(clock, later, now, page=page), page) for later in shards[position + 1:])
                return report
            try:
                org = orgs.get(found.org_id) or orgs.setdefault(found.org_id,
                                                                adapters.uow.organizations.get(found.org_id))
                done = _run_one(adapters, _Job(org, clock, now), found.subscription)
            except Exception:  # noqa: BLE001 - one subscription must not stop the batch
                log.exception("scheduled work on subscription %s failed", found.subscription.subscription_id)
                report.failed.append(found.subscription.subscription_id)
                continue
            if done is not None:
                report.done.append(done)
    return report


def _counted(items, at_most: int) -> int:
    return sum(1 for _ in islice(items, at_most))


def advance_test_clock(adapters, org_id: str, advance_to: datetime, *, real_now: datetime,
                       budget_seconds: float | None = None) -> TestClockRun:
    """Move a test-mode organization's clock forward to `advance_to` and run its due work up to it,
    round after round (a round renews each subscription at most once, so an advance of a year runs
    every monthly term of it), until nothing is due or the time budget runs out: then the answer
    says `complete: false` and the next call with the same `advance_to` goes on from there."""
    advance_to = advance_to.astimezone(timezone.utc)
    org = adapters.uow.organizations.get(org_id)
    if not org.test_mode:
        raise BusinessRuleViolation("The test clock is for organizations in test mode.", "not_in_test_mode")
    if advance_to < org.now(real_now) and org.test_clock_at is not None:
        raise InvalidInput({"advance_to": "The test clock only moves forward."})
    if org.test_clock_at != advance_to:
        org = adapters.uow.organizations.save(replace(org, test_clock_at=advance_to))
    deadline = time.monotonic() + (TEST_CLOCK_BUDGET_SECONDS if budget_seconds is None else budget_seconds)
    done, failed, complete = [], [], False
    while not complete:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        report = run_due(adapters, clock_name(org), advance_to, budget_seconds=left)
        done += report.done
        failed += [f for f in report.failed if f not in failed]
        complete = not report.done and not report.stopped_early
    return TestClockRun(advance_to, tuple(done), tuple(failed), complete)


# --- one subscription ------------------------------------------------------------------------

def _run_one(adapters, job: _Job, sub: Subscription) -> WorkDone | None:
    work = scheduling.work_due(sub, job.now)
    if work is None or clock_name(job.org) != job.clock:
        return None     # the index lagged behind, or the organization moved to another clock
    claimed = adapters.uow.subscriptions.claim(job.org_id, sub, job.now, LEASE)
    if claimed is None:
        return None     # another run holds it, or it changed since the index was read
    after = retried(_WORK[work])(adapters, job, claimed)   # the claim is still ours: a lost number wrote nothing
    return WorkDone(sub.subscription_id, work.value, after.status.value)


def _start(adapters, job: _Job, sub: Subscription) -> Subscription:
    bill = scheduling.started(sub)
    after = bill.subscription
    if after.term_start is None:
        return _save(adapters, job, after, "subscription.trial_started", "Trial started")
    return _new_term(adapters, job, bill, "subscription.started", f"Started; first term to {_day(after.term_end)}")


def _trial_end(adapters, job: _Job, sub: Subscription) -> Subscription:
    bill = scheduling.first_term_after_trial(sub)
    first = bill.subscription
    if not first.charges_automatically:
        return _new_term(adapters, job, replace(bill, subscription=scheduling.trial_converted(first)),
                         "subscription.trial_converted", "Trial ended; live without auto-charge")
    billed = _bill(adapters, job, bill)
    if billed.amount_due_minor <= 0:
        return _save(adapters, job, scheduling.trial_converted(first), "subscription.trial_converted",
                     "Trial ended; first term covered by credits", billed)
    if not paying.worth_charging(billed.amount_due_minor, first.currency):
        return _save(adapters, job, scheduling.carried(scheduling.trial_converted(first), billed.invoice.invoice_id),
                     "subscription.trial_converted",
                     f"Trial ended; {_below_minimum(billed)}", billed, email=_invoice_email(adapters, job, billed))
    marked = scheduling.awaiting_charge(first, billed.invoice.invoice_id, job.now)
    saved = _save(adapters, job, marked, "subscription.trial_invoiced", "Trial ended; first term invoiced", billed,
                  keep_claim=True)
    return _charge(adapters, job, saved)


def _cancel_at_term_end(adapters, job: _Job, sub: Subscription) -> Subscription:
    return _save(adapters, job, scheduling.cancelled_at_term_end(sub), "subscription.cancelled",
                 "Cancelled at the end of its term")


def _pause(adapters, job: _Job, sub: Subscription) -> Subscription:
    bill = scheduling.paused(sub, job.org.preferences.pause_resume.unused_time)
    after = bill.subscription
    text = "Paused as scheduled" + (f", resuming on {_day(after.resume_at)}" if after.resume_at else "")
    return _save(adapters, job, after, "subscription.paused", text,
                 _bill(adapters, job, bill) if bill.credit_lines else None)


def _resume(adapters, job: _Job, sub: Subscription) -> Subscription:
    bill = scheduling.resumed_on_schedule(sub)
    after = bill.subscription
    if not bill.charge_lines:
        return _save(adapters, job, after, "subscription.resumed",
                     f"Resumed as scheduled; the paid days kept continue to {_day(after.term_end)}")
    return _new_term(adapters, job, bill, "subscription.resumed",
                     f"Resumed as scheduled; new term to {_day(after.term_end)}")


def _renew(adapters, job: _Job, sub: Subscription) -> Subscription:
    bill = scheduling.renewed(sub)
    return _new_term(adapters, job, bill, "subscription.renewed", f"Renewed to {_day(bill.subscription.term_end)}")


def _bill_term(adapters, job: _Job, sub: Subscription) -> Subscription:
    bill = scheduling.unbilled_term(sub)
    return _new_term(adapters, job, bill, "subscription.term_invoiced",
                     f"Term {_day(sub.term_start)} to {_day(sub.term_end)} invoiced")


def _new_term(adapters, job: _Job, bill: Bill, action: str, summary: str) -> Subscription:
    """Invoice the term `bill` starts with the subscription change; charge it when it auto-charges."""
    after = bill.subscription
    billed = _bill(adapters, job, bill)
    if after.status != Status.UNPAID and after.charges_automatically and billed.amount_due_minor > 0:
        # with invoices carried, the charge says whether all together reach the smallest charge
        if paying.worth_charging(billed.amount_due_minor, after.currency) or after.carried_invoice_ids:
            marked = scheduling.awaiting_charge(after, billed.invoice.invoice_id, job.now)
            return _charge(adapters, job, _save(adapters, job, marked, action, summary, billed, keep_claim=True))
        summary = f"{summary}; {_below_minimum(billed)}"
        after = scheduling.carried(after, billed.invoice.invoice_id)
    return _save(adapters, job, after, action, summary, billed, email=_invoice_email(adapters, job, billed))


def _below_minimum(billed: Billing) -> str:
    invoice = billed.invoice
    return (f"{invoice.number} ({Money(billed.amount_due_minor, invoice.currency).labelled()}) is less than the "
            "payment service's smallest charge: it stays open, to be paid with the next charge")


def _charge(adapters, job: _Job, sub: Subscription) -> Subscription:
    """The first charge of a term already invoiced (the marker on `sub`), and what it leads to."""
    if not sub.charges_automatically:
        after = scheduling.trial_converted(sub) if sub.status == Status.TRIAL else scheduling.charge_left(sub)
        return _save(adapters, job, after, "subscription.charge_skipped", "Auto-charge is off; the invoice stays open")
    outcome = _collect(adapters, job, sub)
    trial = sub.status == Status.TRIAL
    if outcome.status == PaymentStatus.PENDING:
        return _save(adapters, job, scheduling.charge_unknown(sub, job.now), "subscription.charge_pending",
                     "The payment service has not confirmed the charge yet")
    sub = charge_attempts.attempted(sub)
    if outcome.status == PaymentStatus.SUCCEEDED:
        after = scheduling.trial_converted(sub) if trial else scheduling.charge_left(sub)
        return _save(adapters, job, _carried_paid(after, outcome), "subscription.charged", "Invoice charged")
    if outcome.failure_code == paying.BELOW_MINIMUM:    # the gateway's minimum, not the customer's card
        sub = scheduling.carried(sub, None)
        after = scheduling.trial_converted(sub) if trial else scheduling.charge_left(sub)
        return _save(adapters, job, after, "subscription.charge_below_minimum",
                     "The payment service does not charge so small an amount; the invoice stays open, "
                     "to be paid with the next charge")
    if outcome.needs_customer:
        after = scheduling.trial_converted(sub) if trial else scheduling.charge_left(sub)
        return _save(adapters, job, after, "subscription.charge_needs_action",
                     "The bank asks the customer to confirm the payment; the invoice stays open",
                     email=_charge_email(adapters, job, sub, "payment_action_required", outcome))
    if trial:
        return _save(adapters, job, scheduling.trial_charge_failed(sub, job.now), "subscription.expired",
                     "Trial ended; the first charge failed", void_invoice=sub.unpaid_invoice_id,
                     email=_charge_email(adapters, job, sub, "payment_failed", outcome))
    after = scheduling.renewal_charge_failed(sub, job.org.dunning, outcome.failure_code)
    return _save(adapters, job, after, "subscription.dunning", f"Charge failed; {_next_in_dunning(after)}",
                 email=_charge_email(adapters, job, sub, "payment_failed", outcome, after))


def _dunning_retry(adapters, job: _Job, sub: Subscription) -> Subscription:
    if sub.unpaid_invoice_id is None:
        return _save(adapters, job, scheduling.dunning_paid(sub, job.now), "subscription.dunning_paid",
                     "Nothing left to collect")
    outcome = _collect(adapters, job, sub)
    if outcome.status == PaymentStatus.PENDING:
        return _save(adapters, job, scheduling.charge_unknown(sub, job.now), "subscription.charge_pending",
                     "The payment service has not confirmed the retry yet")
    sub = charge_attempts.attempted(sub)
    if outcome.status == PaymentStatus.SUCCEEDED:
        return _save(adapters, job, _carried_paid(scheduling.dunning_paid(sub, job.now), outcome),
                     "subscription.dunning_paid", "Retry succeeded")
    if outcome.failure_code == paying.BELOW_MINIMUM:    # paid down below what the gateway charges meanwhile
        return _save(adapters, job, scheduling.dunning_paid(scheduling.carried(sub, None), job.now),
                     "subscription.charge_below_minimum",
                     "What is left is less than the payment service charges; the invoice stays open, "
                     "to be paid with the next charge")
    after = scheduling.dunning_retry_failed(sub, job.org.dunning, job.now, outcome.failure_code)
    if after.status == Status.DUNNING:
        summary = f"Retry {after.dunning_attempts} failed; {_next_in_dunning(after)}"
    else:
        summary = f"Retries ran out; the subscription is {STATUS_WORDS[after.status.value]}"
    return _save(adapters, job, after, "subscription.dunning_retry_failed", summary,
                 email=_charge_email(adapters, job, sub, "payment_action_required" if outcome.needs_customer
                                     else "payment_failed", outcome, after))


def _dunning_end(adapters, job: _Job, sub: Subscription) -> Subscription:
    after = scheduling.dunning_ended(sub, job.org.dunning)
    return _save(adapters, job, after, "subscription.dunning_ended",
                 f"The term ended unpaid; the subscription is {STATUS_WORDS[after.status.value]}",
                 email=_dunning_ended_email(adapters, job, after))


def _dunning_ended_email(adapters, job: _Job, ended: Subscription):
    """The customer is told, as the last retry's email would have (no charge was made to fail)."""
    if ended.unpaid_invoice_id is None:
        return None
    invoice = adapters.uow.invoices.get(job.org_id, ended.customer_id, ended.unpaid_invoice_id)
    customer = adapters.uow.customers.get(job.org_id, ended.customer_id)
    return dunning_emails.dunning_ended(job.org, customer, invoice, ended, job.now)


def _next_in_dunning(after: Subscription) -> str:
    if after.next_retry_at is not None:
        return f"retrying on {_day(after.today(after.next_retry_at))}"
    return f"no retry fits before the term ends on {_day(after.term_end)}"


_WORK = {Work.START: _start, Work.TRIAL_END: _trial_end, Work.CANCEL_AT_TERM_END: _cancel_at_term_end,
         Work.PAUSE: _pause, Work.RESUME: _resume, Work.RENEW: _renew, Work.BILL_TERM: _bill_term,
         Work.CHARGE: _charge, Work.DUNNING_RETRY: _dunning_retry, Work.DUNNING_END: _dunning_end}


# --- pieces ----------------------------------------------------------------------------------


def _bill(adapters, job: _Job, bill: Bill) -> Billing:
    credits = invoicing.open_credits(adapters, job.org_id, bill.subscription.customer_id) if bill.charge_lines else []
    # Two runs (or workers) billing at one instant may race for a number: then the documents' other
    # items keyed by it (a ledger entry) collide too. A lost number is told whatever else failed, and
    # the work is done again from the start (`retried`), the claim still ours.
    numbers = Numbers(adapters, job.org_id, resent=True)
    return invoicing.issue(adapters, job.org, bill, now=job.now, actor=JOB, credits=credits, numbers=numbers)


def _collect(adapters, job: _Job, sub: Subscription) -> _Outcome:
    """Charge the subscription's unpaid invoice off-session, with the key of its next attempt (the
    caller counts the attempt once answered). An invoice paid meanwhile counts as a success; a
    payment already in progress as pending (asked again later with the same key)."""
    try:
        payment = collection.collect_off_session(adapters, job.org_id, sub.customer_id, sub.unpaid_invoice_id,
                                                 payment_method_id=sub.payment_method_id,
                                                 idempotency_key=charge_attempts.next_attempt_key(sub), now=job.now,
                                                 source="auto_charge", along=sorted(sub.carried_invoice_ids))
    except collection.PaymentInProgress:
        return _Outcome(PaymentStatus.PENDING)
    except BusinessRuleViolation as error:
        if error.code in ("amount_not_chargeable", paying.BELOW_MINIMUM):
            # owed from before totals were rounded to the increment; less than the gateway charges
            return _Outcome(PaymentStatus.FAILED, error.message, error.code)
        if error.code != "invoice_not_outstanding":
            raise
        return _Outcome(PaymentStatus.SUCCEEDED, carried_along=False)   # paid before: nothing was charged
    except NotFound:   # the saved method was removed
        return _Outcome(PaymentStatus.FAILED, "No saved payment method.", "no_payment_method")
    return _Outcome(payment.status, payment.failure_message, payment.failure_code)


def _carried_paid(after: Subscription, outcome: _Outcome) -> Subscription:
    return scheduling.carried_paid(after) if outcome.carried_along else after


def _invoice_email(adapters, job: _Job, billed: Billing):
    """The email of a term's invoice the customer pays themselves (none where a saved card is charged)."""
    if billed.invoice is None or not billed.invoice.is_outstanding() or not job.org.preferences.emails.invoice_issued:
        return None
    customer = adapters.uow.customers.get(job.org_id, billed.customer_id)
    return document_emails.invoice_issued(job.org, customer, billed.invoice, job.now)


def _save(adapters, job: _Job, after: Subscription, action: str, summary: str, billed: Billing | None = None, *,
          keep_claim: bool = False, void_invoice: str | None = None, email=None) -> Subscription:
    """Write `after` on the claimed version with its documents and activity, all or nothing."""
    record = ActivityRecord(new_id("activity", job.now), after.customer_id, JOB, action, "subscription",
                            after.subscription_id, job.now, summary)
    with adapters.uow.transaction("subscription") as tx:
        item = adapters.uow.subscriptions.put_claimed_in(tx, job.org_id, after, clock=job.clock, now=job.now,
                                                         hold_until=job.now + LEASE if keep_claim else None)
        if billed is not None:
            invoicing.write(adapters, tx, job.org_id, billed, now=job.now)
        if void_invoice is not None:
            _void_in(adapters, tx, job, after.customer_id, void_invoice)
        if email is not None:
            adapters.uow.emails.put_in(tx, email)
        adapters.uow.activity.record(job.org_id, record, tx)
    return adapters.uow.subscriptions.saved(item)


def _void_in(adapters, tx, job: _Job, customer_id: str, invoice_id: str) -> None:
    """The invoice of a trial that never converted is voided, as if never raised: the credits
    applied to it go back to their credit notes (an invoice with payments stays as it is)."""
    invoice = adapters.uow.invoices.get(job.org_id, customer_id, invoice_id)
    if not invoice.is_outstanding() or invoice.amount_paid_minor:
        return
    change = SummaryChange(outstanding_count=-1, outstanding_minor=-invoice.balance_minor)
    if invoice.credits_applied:
        given_back = {c.credit_note_id: c.amount_minor for c in invoice.credits_applied}
        for note_id, note in adapters.uow.credit_notes.get_many(job.org_id, customer_id, list(given_back)).items():
            restored = settling.credit_given_back(note, given_back[note_id])
            adapters.uow.credit_notes.save_in(tx, job.org_id, restored, before=note, now=job.now)
            change += SummaryChange(credits_minor=given_back[note_id]) + credit_note_moved(note, restored)
    adapters.uow.invoices.save_in(tx, job.org_id, replace(invoice, status=InvoiceStatus.VOID, voided_at=job.now),
                                  before=invoice, now=job.now)
    adapters.uow.account_summaries.apply_in(tx, job.org_id, customer_id, invoice.currency, change)
    adapters.uow.activity.record(job.org_id, ActivityRecord(
        new_id("activity", job.now), customer_id, JOB, "invoice.voided", "invoice", invoice_id, job.now,
        f"{invoice.number}: the trial's first charge failed"), tx)


def _charge_email(adapters, job: _Job, sub: Subscription, template: str, outcome: _Outcome,
                  after: Subscription | None = None) -> EmailRecord | None:
    """The email telling the customer of a charge that failed or waits on them, with a link to act on
    it, recorded in the transaction that records the outcome (a run retried after a failed write
    sends it once; the outbox job sends it); one that cannot be made never undoes the work.
    A renewal in dunning is described as its portal screen shows it: the reason in words, the next
    retry (or what the last one failed into), and the link leads to that screen."""
    try:
        invoice = adapters.uow.invoices.get(job.org_id, sub.customer_id, sub.unpaid_invoice_id)
        customer = adapters.uow.customers.get(job.org_id, sub.customer_id)
        locale = languages.locale_of(job.org, customer)
        reason = email_words.reason_sentence(outcome.failure_code, outcome.reason, locale)
        action, target = EMAIL_ACTIONS[template], invoice.invoice_id
        if after is not None and template == "payment_failed":
            action, target = "review_subscription", sub.subscription_id
        return mail.new_record(job.org_id, template, {
            "org_name": job.org.name, "locale": locale,
            "amount": money_text(invoice.balance_minor, invoice.currency, locale),
            "invoice_number": invoice.number, "reason": reason, "next_step": _next_step(after, locale)},
            [customer.email], now=job.now, customer_id=sub.customer_id, reply_to=job.org.email,
            link=action_link_for(action, target))
    except Exception:  # noqa: BLE001 - the charge's outcome must still be recorded
        log.exception("%s email for subscription %s failed", template, sub.subscription_id)
        return None


def _next_step(after: Subscription | None, locale: str) -> str:
    """What happens next, in the words of the dunning screen."""
    if after is None:
        return email_words.update_card(locale)
    if after.status == Status.DUNNING and after.next_retry_at is not None:
        return email_words.retry_on(after.today(after.next_retry_at), locale)
    if after.status == Status.DUNNING:
        return email_words.pay_to_keep(locale)
    return email_words.last_retry(after.status.value, locale)


def _day(day: date | None) -> str:
    return day.isoformat() if day else "-"
