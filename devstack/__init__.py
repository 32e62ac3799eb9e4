"""The embedded local stack behind `make run` (not deployed): see `devstack.server`."""
