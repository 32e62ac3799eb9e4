"""Who may do what: portal sign-in and sessions, invitations and passwords, merchant API keys and
organizations, and rate limits."""
