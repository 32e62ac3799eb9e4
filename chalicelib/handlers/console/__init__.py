"""The merchant console's own routes: its users signing in and out, their passwords and second factor."""
