"""The log of searches that found nothing, so editors learn what patients look for.

A search is counted only when it found nothing and no spelling could be suggested,
and only when its words cannot say who the reader is: a query with an email address,
a phone number (or any run of digits like one, such as a date of birth), a web
address or more than a few words (free text, which may tell a story) is not kept.
Counts are per day and per set of words, with nothing about the reader.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import MissedSearch

MAX_WORDS = 5
MAX_DIGITS = 4  # "L5 S1", "C5-C6" and "2 weeks" are kept; phone numbers and dates are not
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

# One statement however many times the words were searched for today.
RECORD_SQL = """
INSERT INTO {table} (day, words, count) VALUES (%s, %s, 1)
ON CONFLICT (day, words) DO UPDATE SET count = {table}.count + 1
"""  # noqa: UP032 - formatted once below, as spinesite.search does with its SQL
RECORD_SQL = RECORD_SQL.format(table=MissedSearch._meta.db_table)


def loggable_words(query):
    """The words of `query` as the log keeps them, or "" when they must not be kept."""
    if "@" in query or "://" in query or "www." in query.lower():
        return ""
    if sum(ch.isdigit() for ch in query) > MAX_DIGITS:
        return ""
    words = WORD.findall(query.lower())
    if len(words) > MAX_WORDS:
        return ""
    text = " ".join(words)
    return text if len(text) <= MissedSearch._meta.get_field("words").max_length else ""


def record(query):
    """Count a search that found nothing, in one statement; False when it is not kept."""
    words = loggable_words(query)
    if not words:
        return False
    with connection.cursor() as cursor:
        cursor.execute(RECORD_SQL, [timezone.localdate(), words])
    return True


def purge(days=None):
    """Delete counts older than `days` (SEARCH_LOG_DAYS); returns how many went."""
    days = settings.SEARCH_LOG_DAYS if days is None else days
    cutoff = timezone.localdate() - timedelta(days=days)
    deleted, _ = MissedSearch.objects.filter(day__lt=cutoff).delete()
    return deleted
