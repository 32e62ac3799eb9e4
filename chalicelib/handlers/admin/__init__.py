"""The merchant's back office API (merchant API key)."""
