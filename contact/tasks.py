"""Background work of the contact app, run by the task worker (`manage.py db_worker`)."""

from django_tasks import task

from .notifications import FAILED, notify


@task()
def send_notification(request_id):
    """Email staff about one consultation request (contact.notifications.notify).

    Runs in the worker, never in the patient's request: a slow or hanging mail
    server delays only this. A send that fails leaves the request "not notified",
    for `manage.py send_pending_notifications` (cron) to retry.
    """
    result = notify(request_id)
    if result == FAILED:
        # Recorded as a failed task in admin too; the request itself waits for the retry.
        raise RuntimeError(f"Consultation request #{request_id} not notified yet.")
    return result
