"""Customers and their contacts, the portal's home and details, the activity timeline, messages,
reviews and notifications, and the email outbox."""
