"""Portico: wires blueprints, authorizers, schedules and the webhook. No logic lives here."""
from chalice import Chalice

from chalicelib.handlers import authorizers, jobs, webhooks
from chalicelib.handlers.admin import billing as admin_billing
from chalicelib.handlers.admin import catalog as admin_catalog
from chalicelib.handlers.admin import customers as admin_customers
from chalicelib.handlers.admin import engagement as admin_engagement
from chalicelib.handlers.admin import organization as admin_organization
from chalicelib.handlers.admin import portal_access as admin_portal_access
from chalicelib.handlers.lifecycle import on_each_request
from chalicelib.handlers.portal import auth as portal_auth
from chalicelib.handlers.portal import dashboard as portal_dashboard
from chalicelib.handlers.portal import invoices as portal_invoices
from chalicelib.handlers.portal import me as portal_me
from chalicelib.handlers.portal import payment_methods as portal_payment_methods
from chalicelib.handlers.portal import payments as portal_payments

app = Chalice(app_name="portico")
app.api.binary_types.append("application/pdf")
app.register_middleware(on_each_request, "http")

app.register_blueprint(authorizers.bp)   # first: routes below refer to its authorizers
for blueprint in (admin_organization.bp, admin_catalog.bp, admin_customers.bp, admin_billing.bp,
                  admin_engagement.bp, admin_portal_access.bp, portal_auth.bp, portal_me.bp, jobs.bp,
                  portal_dashboard.bp, portal_invoices.bp, portal_payments.bp, portal_payment_methods.bp,
                  webhooks.bp):
    app.register_blueprint(blueprint)
