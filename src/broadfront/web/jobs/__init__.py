"""Background jobs on Django's task API (``django-tasks``, DEP 14): the one job runner.

Feature apps define their tasks with :func:`broadfront.web.jobs.runner.job_task` and submit
them with :func:`broadfront.web.jobs.runner.submit`; ``broadfront worker`` runs them. See
``docs/architecture.md`` ("Background jobs").
"""
