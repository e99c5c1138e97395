"""The staff groups, and keeping their permissions complete.

"Front desk" handles consultation requests; "Front desk: CSV export" adds the right
to download them. "Content editors" edit every kind of patient page (each registered
app's models, see spinesite.pagekinds: conditions, treatments, videos and their topics),
alone may upload images, and cannot see any request. "Clinical reviewers" read every
kind of page in admin and alone approve them (spinesite.review); to correct a page too,
a clinician is also a content editor. "Privacy
officer" reads and exports the access audit of requests (contact.audit) and nothing
else. Migration 0002 creates the first two and a post_migrate handler the rest; because
the videos app may gain models (and permissions) in later migrations, a post_migrate
handler (see apps.py) runs `sync_groups` after every `migrate` and adds any missing
permission. It only adds: permissions an administrator gives a group by hand stay.
Users still need "staff status" to log in to the admin.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

from spinesite import pagekinds
from spinesite.review import CLINICAL_REVIEWERS

FRONT_DESK = "Front desk"
FRONT_DESK_EXPORT = "Front desk: CSV export"
CONTENT_EDITORS = "Content editors"
PRIVACY_OFFICER = "Privacy officer"

EDIT = ["add", "change", "delete", "view"]

# group -> [(app label, model name or None for every model of the app, actions)]
GROUPS = {
    FRONT_DESK: [("contact", "consultationrequest", ["view", "change"])],
    FRONT_DESK_EXPORT: [("contact", "consultationrequest", ["view", "export"])],
    CONTENT_EDITORS: [
        # ...and every model of each app with a kind of page (see grants()).
        ("glossary", None, EDIT),
        # Readers' answers: read them, and delete a comment that names someone.
        ("feedback", None, ["view", "change", "delete"]),
        # What readers searched for and did not find (spinesite.searchlog).
        ("spinesite", "missedsearch", ["view", "delete"]),
    ],
    # Clinicians who approve pages (spinesite.review): they read every kind of page
    # (see grants()); membership is what lets them approve. Read only: uploads and
    # edits are the content editors'.
    CLINICAL_REVIEWERS: [],
    PRIVACY_OFFICER: [("contact", "accessevent", ["view", "export"])],
}


def grants(group_name):
    """What a group should hold: GROUPS, and for editors, the apps of every kind of page."""
    listed = GROUPS[group_name]
    if group_name == CLINICAL_REVIEWERS:
        return [*((label, None, ["view"]) for label in page_apps()), *listed]
    if group_name != CONTENT_EDITORS:
        return listed
    return [*((label, None, EDIT) for label in page_apps()), *listed]


def page_apps():
    """The labels of the apps that register kinds of page."""
    return sorted({kind.model._meta.app_label for kind in pagekinds.kinds()})


def sync_groups(apps=global_apps, using=DEFAULT_DB_ALIAS):
    """Create the groups if missing and give them every permission they should have."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name in GROUPS:
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        wanted = []
        for app_label, model, actions in grants(group_name):
            perms = Permission.objects.using(using).filter(content_type__app_label=app_label)
            if model:
                perms = perms.filter(content_type__model=model)
            for perm in perms.select_related("content_type"):
                action, _, model_name = perm.codename.partition("_")
                if action in actions and model_name == perm.content_type.model:
                    wanted.append(perm)
        group.permissions.add(*wanted)
