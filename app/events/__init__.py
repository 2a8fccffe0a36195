"""The events calendar of a union: conferences, delegations, festivals, exchanges (console and public site)."""
