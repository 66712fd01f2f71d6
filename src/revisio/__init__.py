"""Revisio: case record, recovery check and escalation after cosmetic or reconstructive surgery."""
