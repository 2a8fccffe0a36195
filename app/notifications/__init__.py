"""Notifications: an in-app bell, e-mail through a transactional outbox, digests and public news subscriptions."""
