"""Portico: wires the routes, schedules and the webhook. No logic lives here.

Routes are registered from chalicelib/handlers/route_table.py without importing the modules answering
them (lazy_routes.py): each is imported by its route's first request, so a cold start loads only what
its request needs."""
import gc

from chalice import Chalice

from chalicelib import logs
from chalicelib.handlers import jobs, lazy_routes
from chalicelib.handlers.lifecycle import on_each_request

app = Chalice(app_name="portico")
logs.configure()   # after Chalice, which sets the "portico" logger to ERROR without propagation
app.api.binary_types.append("application/pdf")
app.api.binary_types.append("image/png")
app.register_middleware(on_each_request, "http")
lazy_routes.register(app)
app.register_blueprint(jobs.bp)
# What importing made (modules, routes, models) lives as long as the process: kept out of the
# collector's full scans, which would walk it again during the first request (docs/architecture.md)
gc.freeze()
