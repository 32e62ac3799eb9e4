"""The customer's subscription actions in the portal, what the merchant does with subscriptions and the
catalog, and the scheduled work that carries out what was scheduled."""
