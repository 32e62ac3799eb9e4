"""Repositories: load and store domain objects; the only code that knows item shapes."""
