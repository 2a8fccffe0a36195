"""The beat schedule, in one place. Each entry names a task; the task calls a service."""

from datetime import timedelta

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    "unlock-expired-accounts": {
        "task": "workers.tasks.maintenance.unlock_expired_accounts",
        "schedule": timedelta(minutes=15),
    },
    "flush-visit-counters": {
        "task": "workers.tasks.stats.flush_visit_counters",
        "schedule": timedelta(minutes=5),
    },
    "sweep-outbox": {  # delivers whatever the after-commit hand-off missed (broker or worker down)
        "task": "workers.tasks.notifications.sweep_outbox",
        "schedule": timedelta(minutes=1),
    },
    "send-news-to-subscribers": {
        "task": "workers.tasks.notifications.send_news_to_subscribers",
        "schedule": timedelta(minutes=5),
    },
    "report-deadline-reminders": {  # 07:00 in Asia/Ho_Chi_Minh (the Celery timezone)
        "task": "workers.tasks.notifications.send_deadline_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "daily-digest": {
        "task": "workers.tasks.notifications.send_daily_digests",
        "schedule": crontab(hour=7, minute=30),
    },
    "publish-scheduled-articles": {
        "task": "workers.tasks.news.publish_scheduled_articles",
        "schedule": timedelta(minutes=1),
    },
    "recompute-report-rollups": {  # 02:30 in Asia/Ho_Chi_Minh: the full, idempotent recompute
        "task": "workers.tasks.reporting.recompute_rollups_full",
        "schedule": crontab(hour=2, minute=30),
    },
}
