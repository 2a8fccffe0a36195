"""Housekeeping tasks run by beat."""

from celery import shared_task

from app.accounts.services import unlock_expired_accounts as _unlock


@shared_task
def unlock_expired_accounts() -> int:
    """Clear lockouts whose time has passed."""
    return _unlock()
