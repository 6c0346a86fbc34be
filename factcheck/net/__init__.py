"""Outbound HTTP: the guarded client and signed webhooks."""
