"""
Timed work: one command, `manage.py run_due_jobs`, runs whatever is due.

Apps declare their jobs in a `jobs.py` of their own (`jobs.registry.job`),
found at start-up as the admin finds `admin.py`. This app imports nothing of
ours: it sits on the lowest floor, and the apps' `jobs` modules on the
services floor (docs/architecture.md).
"""
