"""Mail delivery: retried with backoff; the message is built before queueing, so retries resend it whole."""

import smtplib

from celery import shared_task

from app.core import mail
from workers import TenantTask


class MailTask(TenantTask):
    tenant_required = False  # platform mail (password reset) has no tenant


@shared_task(base=MailTask, bind=True, autoretry_for=(OSError, smtplib.SMTPException), retry_backoff=5,
             retry_backoff_max=600, retry_jitter=True, max_retries=8)
def deliver_email(self, raw_message: str) -> str:
    """Send one composed message."""
    return mail.deliver(raw_message)
