"""Notification tasks: deliver one outbox message, sweep the outbox, digests, reminders, subscriber news."""

from celery import shared_task

from app.notifications import digest, outbox, reminders, subscriptions
from workers import TenantTask


@shared_task(base=TenantTask, bind=True)
def deliver_outbox_message(self, message_id: int) -> str:
    """Send one outbox message once (a conditional claim makes re-runs and races harmless)."""
    return outbox.deliver(message_id)


@shared_task
def sweep_outbox() -> dict:
    """Deliver every due message: retries after backoff and anything the broker never carried."""
    return dict(outbox.sweep())


@shared_task
def send_daily_digests() -> int:
    """Queue one digest e-mail per user with pending digest items (once a day per user)."""
    return digest.send_digests()


@shared_task
def send_deadline_reminders() -> int:
    """Reminders N days before a report's due date, on the day and when overdue (once per kind)."""
    return reminders.send_deadline_reminders()


@shared_task
def send_news_to_subscribers() -> int:
    """Queue newly published articles for each union's confirmed subscribers, in batches."""
    return subscriptions.send_new_articles()
