"""Celery, wired the Flask way (celery_init_app), with a tenant-aware base task."""

from celery import Celery, Task
from flask import Flask, current_app, has_app_context

from tenants.context import TenantContextMissing, tenant_context


def _run_in_app(task: Task, flask_app: Flask, *args, **kwargs):
    if has_app_context() and current_app._get_current_object() is flask_app:
        return task.run(*args, **kwargs)  # an eager call inside a request reuses its context
    with flask_app.app_context():
        return task.run(*args, **kwargs)


class TenantTask(Task):
    """Base for tasks acting inside one tenant: call with tenant_id=…; the context is restored for
    the run and cleared after. Arguments are ids, never ORM objects."""

    abstract = True
    tenant_required = True
    typing = False  # tenant_id travels as a keyword that run() does not declare

    def __call__(self, *args, tenant_id=None, **kwargs):
        if tenant_id is None and self.tenant_required:
            raise TenantContextMissing(f"task {self.name} needs tenant_id")
        with tenant_context(tenant_id):
            return _run_in_app(self, self.app.flask_app, *args, **kwargs)


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            return _run_in_app(self, app, *args, **kwargs)

    from workers.beat import BEAT_SCHEDULE

    celery_app = Celery(app.import_name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.conf.beat_schedule = BEAT_SCHEDULE
    celery_app.conf.imports = ["workers.tasks.mail", "workers.tasks.maintenance"]
    celery_app.flask_app = app
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
