"""The beat schedule, in one place. Each entry names a task; the task calls a service."""

from datetime import timedelta

BEAT_SCHEDULE: dict[str, dict] = {
    "unlock-expired-accounts": {
        "task": "workers.tasks.maintenance.unlock_expired_accounts",
        "schedule": timedelta(minutes=15),
    },
    "flush-visit-counters": {
        "task": "workers.tasks.stats.flush_visit_counters",
        "schedule": timedelta(minutes=5),
    },
    "publish-scheduled-articles": {
        "task": "workers.tasks.news.publish_scheduled_articles",
        "schedule": timedelta(minutes=1),
    },
}
