"""Composing e-mail: UTF-8 MIME with plain-text and HTML parts, RFC 2047 subjects (policy SMTP)."""

import hashlib
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from flask import current_app, has_request_context, render_template, request
from flask_babel import force_locale


def recipient_locale(locale: str | None) -> str:
    """The user's language if the platform speaks it, else Vietnamese."""
    return locale if locale in current_app.config.get("LANGUAGES", ("vi", "en")) else "vi"


def _domain() -> str:
    return current_app.config["PLATFORM_HOST"].split(":")[0] or "localhost"


def message_id(key: str) -> str:
    """A Message-ID fixed by the idempotency key: a message re-sent after a crash is recognisably the same."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{_domain()}>"


def compose(to: str, subject: str, text: str, html: str, *, key: str,
            headers: dict[str, str] | None = None) -> EmailMessage:
    """One message, ready to store in the outbox and send as it is."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = formataddr((current_app.config.get("MAIL_SENDER_NAME", "Liên hiệp hữu nghị"),
                              current_app.config["MAIL_FROM"]))
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id(key)
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def render_pair(template: str, locale: str, **context) -> tuple[str, str]:
    """`<template>.txt` and `<template>.html` rendered in `locale`."""
    with force_locale(locale):
        return (render_template(f"{template}.txt", locale=locale, **context),
                render_template(f"{template}.html", locale=locale, **context))


def external_url(endpoint: str, *, host: str | None = None, **values) -> str:
    """An absolute link for an e-mail, from a request or from a task (the configured platform host)."""
    host = host or current_app.config["PLATFORM_HOST"]
    if has_request_context():
        scheme = request.scheme
        port = request.host.rsplit(":", 1)[1] if ":" in request.host and ":" not in host else ""
    else:
        scheme, port = current_app.config.get("PREFERRED_URL_SCHEME", "http"), ""
    # The URL map directly: a test request context here would run teardown handlers on the caller's `g`.
    adapter = current_app.url_map.bind(host + (f":{port}" if port else ""), url_scheme=scheme)
    return adapter.build(endpoint, values, force_external=True)
