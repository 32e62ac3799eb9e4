"""The customer portal API: every route needs a portal session except the sign-in routes."""
