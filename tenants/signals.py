"""Tenant lifecycle events, sent inside the transaction that changes the tenant (sender=tenant)."""

from blinker import Namespace

_signals = Namespace()

tenant_status_changed = _signals.signal("tenant-status-changed")  # previous=..., status=...
