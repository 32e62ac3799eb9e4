"""Portico: wires blueprints, authorizers, schedules and the webhook. No logic lives here."""
from chalice import Chalice

from chalicelib.handlers import authorizers, jobs, openapi, web
from chalicelib.handlers.admin import billing as admin_billing
from chalicelib.handlers.admin import catalog as admin_catalog
from chalicelib.handlers.admin import customers as admin_customers
from chalicelib.handlers.admin import engagement as admin_engagement
from chalicelib.handlers.admin import organization as admin_organization
from chalicelib.handlers.admin import portal_access as admin_portal_access
from chalicelib.handlers.admin import review_requests as admin_review_requests
from chalicelib.handlers.lifecycle import on_each_request
from chalicelib.handlers.portal import activity as portal_activity
from chalicelib.handlers.portal import approvals as portal_approvals
from chalicelib.handlers.portal import auth as portal_auth
from chalicelib.handlers.portal import documents as portal_documents
from chalicelib.handlers.portal import engagement as portal_engagement
from chalicelib.handlers.portal import me as portal_me
from chalicelib.handlers.portal import profile as portal_profile
from chalicelib.handlers.portal import statements as portal_statements
from chalicelib.handlers.portal import subscriptions as portal_subscriptions

app = Chalice(app_name="portico")
app.api.binary_types.append("application/pdf")
app.register_middleware(on_each_request, "http")

app.register_blueprint(authorizers.bp)   # first: routes below refer to its authorizers
for blueprint in (admin_organization.bp, admin_catalog.bp, admin_customers.bp, admin_billing.bp,
                  admin_engagement.bp, admin_portal_access.bp, portal_auth.bp, portal_me.bp, jobs.bp,
                  openapi.bp, admin_review_requests.bp, portal_statements.bp, portal_documents.bp,
                  portal_profile.bp, portal_approvals.bp, portal_engagement.bp, portal_activity.bp,
                  portal_subscriptions.bp, web.bp):
    app.register_blueprint(blueprint)
