"""Outgoing e-mail: composed here, delivered by a Celery task (SMTP, or .eml files when embedded)."""

import smtplib
import ssl
import uuid
from email import message_from_string, policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from flask import current_app, render_template

from tenants.context import current_tenant_id


def compose(to: str, subject: str, text: str, html: str | None = None, sender: str | None = None) -> EmailMessage:
    """A MIME message with a plain-text part and, when given, an HTML alternative (UTF-8 headers)."""
    msg = EmailMessage()
    msg["From"] = sender or current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=current_app.config["PLATFORM_HOST"].split(":")[0] or "localhost")
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    return msg


def send_templated(to: str, subject: str, template: str, **context) -> None:
    """Render `<template>.txt` and `<template>.html` and queue the message for delivery."""
    from workers.tasks.mail import deliver_email

    text = render_template(f"{template}.txt", **context)
    html = render_template(f"{template}.html", **context)
    sender = formataddr((current_app.config.get("MAIL_SENDER_NAME", "Liên hiệp hữu nghị"),
                         current_app.config["MAIL_FROM"]))
    message = compose(to, subject, text, html, sender=sender)
    deliver_email.delay(message.as_string(), tenant_id=current_tenant_id())


def deliver(raw_message: str) -> str:
    """Hand one message to SMTP (MAIL_URL) or write it under instance/mail/; returns where it went."""
    url = current_app.config.get("MAIL_URL")
    if not url:
        return _write_eml(raw_message)
    _send_smtp(url, raw_message)
    return url.split("@")[-1]


def _write_eml(raw_message: str) -> str:
    folder = Path(current_app.config["MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.eml"
    path.write_text(raw_message, encoding="utf-8")
    return str(path)


def _send_smtp(url: str, raw_message: str) -> None:
    """MAIL_URL: smtp://[user:pass@]host[:port][?starttls=1] or smtps://… for implicit TLS."""
    parts = urlparse(url)
    options = parse_qs(parts.query)
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(parts.hostname, parts.port or 465, timeout=30,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(parts.hostname, parts.port or 25, timeout=30)
    with client:
        if options.get("starttls", ["0"])[0] == "1":
            client.starttls(context=ssl.create_default_context())
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message_from_string(raw_message, policy=policy.SMTP))
