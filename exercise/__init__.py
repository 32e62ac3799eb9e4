"""Exercising the API against a demo world: what the tests and the bench share, so that neither
imports the other. `scenarios` builds the world (the seeded demo organization, its signed-in
customer, an item in the right state for every write route), `examples` holds a valid request for
every route, `request_units` counts DynamoDB's request units of what reaches the wire, `local_aws`
runs moto's server with the world seeded, and `load` sends a bounded load to a live local stack."""
