"""Paying invoices (on-session and off-session), recording what became of a payment, refunds, saved
payment methods and Stripe's webhooks."""
