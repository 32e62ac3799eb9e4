"""The bench's own tests: what its cost model prices and its drain's moto keep to (run by `make test`)."""
