"""Celery, wired the Flask way (celery_init_app), with a tenant-aware base task."""

import contextvars

from celery import Celery, Task
from flask import Flask

from tenants.context import TenantContextMissing, tenant_context


def _run_in_app(task: Task, flask_app: Flask, tenant_id: int | None, *args, **kwargs):
    """Run as a worker would, even when eager inside a request: a fresh context (no caller's app context,
    database session, `g` or tenant), its own app context, and the task's tenant if it has one."""

    def run():
        with flask_app.app_context(), tenant_context(tenant_id):
            return task.run(*args, **kwargs)

    return contextvars.Context().run(run)


class TenantTask(Task):
    """Base for tasks acting inside one tenant: call with tenant_id=…; the context is restored for
    the run and cleared after. Arguments are ids, never ORM objects."""

    abstract = True
    tenant_required = True
    typing = False  # tenant_id travels as a keyword that run() does not declare

    def __call__(self, *args, tenant_id=None, **kwargs):
        if tenant_id is None and self.tenant_required:
            raise TenantContextMissing(f"task {self.name} needs tenant_id")
        return _run_in_app(self, self.app.flask_app, tenant_id, *args, **kwargs)


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            return _run_in_app(self, app, None, *args, **kwargs)

    from workers.beat import BEAT_SCHEDULE

    celery_app = Celery(app.import_name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.conf.beat_schedule = BEAT_SCHEDULE
    celery_app.conf.imports = ["workers.tasks.mail", "workers.tasks.maintenance", "workers.tasks.stats",
                              "workers.tasks.notifications", "workers.tasks.news",
                              "workers.tasks.reporting", "workers.tasks.reorg",
                              "workers.tasks.documents"]
    celery_app.flask_app = app
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
