"""Portico: wires blueprints, schedules and the webhook. No logic lives here."""
import gc

from chalice import Chalice

from chalicelib import logs
from chalicelib.handlers import jobs, openapi, web, webhooks
from chalicelib.handlers.admin import action_links as admin_action_links
from chalicelib.handlers.admin import audit_log as admin_audit_log
from chalicelib.handlers.admin import billing as admin_billing
from chalicelib.handlers.admin import catalog as admin_catalog
from chalicelib.handlers.admin import customers as admin_customers
from chalicelib.handlers.admin import engagement as admin_engagement
from chalicelib.handlers.admin import merchant_users as admin_merchant_users
from chalicelib.handlers.admin import organization as admin_organization
from chalicelib.handlers.admin import portal_access as admin_portal_access
from chalicelib.handlers.admin import refunds as admin_refunds
from chalicelib.handlers.admin import review_requests as admin_review_requests
from chalicelib.handlers.admin import test_clock as admin_test_clock
from chalicelib.handlers.console import auth as console_auth
from chalicelib.handlers.lifecycle import on_each_request
from chalicelib.handlers.portal import action_links as portal_action_links
from chalicelib.handlers.portal import activity as portal_activity
from chalicelib.handlers.portal import approvals as portal_approvals
from chalicelib.handlers.portal import auth as portal_auth
from chalicelib.handlers.portal import dashboard as portal_dashboard
from chalicelib.handlers.portal import documents as portal_documents
from chalicelib.handlers.portal import engagement as portal_engagement
from chalicelib.handlers.portal import exports as portal_exports
from chalicelib.handlers.portal import invoices as portal_invoices
from chalicelib.handlers.portal import me as portal_me
from chalicelib.handlers.portal import payment_methods as portal_payment_methods
from chalicelib.handlers.portal import payments as portal_payments
from chalicelib.handlers.portal import people as portal_people
from chalicelib.handlers.portal import profile as portal_profile
from chalicelib.handlers.portal import statements as portal_statements
from chalicelib.handlers.portal import subscriptions as portal_subscriptions
from chalicelib.handlers.portal import tax_ids as portal_tax_ids

app = Chalice(app_name="portico")
logs.configure()   # after Chalice, which sets the "portico" logger to ERROR without propagation
app.api.binary_types.append("application/pdf")
app.api.binary_types.append("image/png")
app.register_middleware(on_each_request, "http")

MERCHANT = (admin_organization, admin_catalog, admin_customers, admin_billing, admin_refunds, admin_engagement,
            admin_portal_access, admin_review_requests, admin_test_clock, admin_action_links, admin_merchant_users,
            admin_audit_log)
CONSOLE = (console_auth,)
PORTAL = (portal_auth, portal_me, portal_dashboard, portal_subscriptions, portal_invoices, portal_payments,
          portal_payment_methods, portal_statements, portal_exports, portal_documents, portal_profile,
          portal_approvals, portal_engagement, portal_activity, portal_tax_ids, portal_action_links,
          portal_people)
OTHERS = (webhooks, jobs, openapi, web)
for module in MERCHANT + CONSOLE + PORTAL + OTHERS:
    app.register_blueprint(module.bp)
# What importing made (modules, routes, models) lives as long as the process: kept out of the
# collector's full scans, which would walk it again during the first request (docs/architecture.md)
gc.freeze()
