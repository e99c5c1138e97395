"""The scratch database's content for bench/scale.py: generated pages of every kind,
their links to each other, videos, and Spanish translations of half of them.

Imported by scale.py after django.setup(), on the scratch database it has chosen:
it imports the site's models, so it cannot be imported before Django is set up.
"""

import os
import re
from datetime import timedelta

from django.db import connection

from bench.common import paragraph_text, rng, sentence, title
from spinesite import pagekinds, pages, vocabulary
from spinesite.translations import translation_of
from videos.models import Video

PAGES = int(os.environ.get("BENCH_PAGES", 100_000))
# A clinic group's team and places: the indexes of these list every one (by design,
# clinicians/views.py), so they are measured at a group's size, not at 100,000.
CLINICIANS = int(os.environ.get("BENCH_CLINICIANS", 400))
LOCATIONS = int(os.environ.get("BENCH_LOCATIONS", 40))
VIDEOS = int(os.environ.get("BENCH_VIDEOS", 20_000))
RELATED = 3  # links from each page to pages of each kind it links to


def body():
    """Markdown-rendered body with sections, like a real page's (about 600 words)."""
    sections, toc = [], []
    for n in range(rng.randint(5, 8)):
        heading = sentence()[:40].rstrip(".")
        toc.append({"id": f"section-{n}", "title": heading})
        paragraphs = "".join(f"<p>{paragraph_text(rng.randint(2, 4))}</p>" for _ in range(2))
        sections.append(f'<h2 id="section-{n}">{heading}</h2>{paragraphs}')
    html = "".join(sections)
    return html, toc, re.sub(r"<[^>]+>", " ", html)


def article(model, n):
    html, toc, text = body()
    page = model(
        title=f"{title()} {n}",
        slug=f"{model._meta.model_name}-{n}",
        also_called="\n".join(title() for _ in range(rng.randint(1, 3))),
        summary=sentence()[:160],
        body=text,
        body_html=html,
        toc=toc,
        body_text=text,
        sources="- [A source](https://example.org/)",
        sources_html='<ul><li><a href="https://example.org/">A source</a></li></ul>',
        status=model.Status.PUBLISHED,
    )
    for field in model._meta.concrete_fields:  # the kind's own choices, e.g. a region
        if field.choices and field.name != "status" and not field.has_default():
            setattr(page, field.attname, rng.choice([value for value, _ in field.choices]))
    return page


def video(n):
    transcript = "\n".join(paragraph_text(rng.randint(2, 5)) for _ in range(rng.randint(3, 8)))
    description = paragraph_text(2)
    return Video(
        title=f"{title()} video {n}",
        slug=f"video-{n}",
        description=description,
        description_html=f"<p>{description}</p>",
        description_text=description,
        source_url=f"https://youtu.be/bench{n:06d}",
        provider=Video.Provider.YOUTUBE,
        video_id=f"bench{n:06d}",
        duration=timedelta(minutes=rng.randint(1, 9)),
        thumbnail="bench.png",
        thumbnail_width=640,  # given, so Django does not open the file to measure it
        thumbnail_height=360,
        transcript=transcript,
        transcript_html="".join(f"<p>{line}</p>" for line in transcript.splitlines()),
        transcript_text=transcript.replace("\n", " "),
        status=Video.Status.PUBLISHED,
    )


def people_and_places():
    """Rows of the kinds that are neither Articles nor videos (clinicians, locations),
    made through their own fields: whatever a kind needs that has no default."""
    made = {}
    for kind in pagekinds.kinds():
        name = kind.model._meta.model_name
        count = {"clinician": CLINICIANS, "location": LOCATIONS}.get(name)
        if not count:
            continue
        rows = []
        for n in range(count):
            text = paragraph_text(3)
            values = {
                "title": f"{title()} {name} {n}",
                "slug": f"{name}-{n}",
                "summary": sentence()[:160],
                "status": kind.model.Status.PUBLISHED,
                "is_sample": True,
            }
            for field in kind.model._meta.concrete_fields:
                if field.name in values or field.generated:
                    continue
                if field.name.endswith("_html"):  # rendered, as saving would
                    values[field.name] = f"<p>{text}</p>"
                elif field.name.endswith("_text"):
                    values[field.name] = text
                elif field.has_default() or field.null:
                    continue
                elif field.get_internal_type() == "TextField":
                    values[field.name] = text
                elif field.get_internal_type() == "CharField" and not field.blank:
                    values[field.name] = "(555) 010-0100" if "phone" in field.name else "x"
            rows.append(kind.model(**values))
        kind.model.objects.bulk_create(rows, batch_size=1000)
        made[kind.model] = list(kind.model.objects.values_list("pk", flat=True))
    return made


def fill():
    """Bulk-inserted rows with their rendered and plain-text fields filled directly."""
    articles = [kind for kind in pagekinds.kinds() if issubclass(kind.model, pages.Article)]
    ids = people_and_places()
    for kind in articles:
        share = PAGES // len(articles)
        for start in range(0, share, 5000):
            rows = [article(kind.model, n) for n in range(start, min(share, start + 5000))]
            kind.model.objects.bulk_create(rows, batch_size=1000)
        ids[kind.model] = list(kind.model.objects.values_list("pk", flat=True))
    for start in range(0, VIDEOS, 5000):
        Video.objects.bulk_create(
            [video(n) for n in range(start, min(VIDEOS, start + 5000))], batch_size=1000
        )
    ids[Video] = list(Video.objects.values_list("pk", flat=True))
    for model, own in ids.items():  # every link between kinds of page
        for field in model._meta.many_to_many:
            targets = ids.get(field.related_model)
            if not targets or len(targets) < RELATED:
                continue
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            links = {
                (pk, other) for pk in own for other in rng.sample(targets, RELATED) if other != pk
            }
            through.objects.bulk_create(
                [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in links],
                batch_size=5000,
            )
    translate_half(ids)
    vocabulary.rebuild_vocabulary()  # bulk_create skips the save() signal that keeps it
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return ids


def translate_half(ids):
    """Every other page of each translatable kind published in Spanish, its fields
    filled directly (bulk_create skips the save() that renders them)."""
    for model, own in ids.items():
        translated = translation_of(model)
        if translated is None:
            continue
        skip = {"id", "page", "language", "status", "translator", "source_digest"}
        rows = []
        for n, pk in enumerate(own[::2]):
            text = paragraph_text(3)
            values = {
                "page_id": pk,
                "language": "es",
                "translator": "Bench",
                "status": "published",
            }
            for field in translated._meta.concrete_fields:
                if field.name in skip or field.generated or field.null or field.is_relation:
                    continue
                if field.name == "title":
                    values["title"] = f"{title()} es {n}"
                elif field.name == "toc":
                    values["toc"] = []
                elif field.name.endswith("_html"):
                    values[field.name] = f"<p>{text}</p>"
                elif field.name.endswith("_text") or field.get_internal_type() == "TextField":
                    values[field.name] = text
                elif field.get_internal_type() == "CharField" and not field.has_default():
                    values[field.name] = sentence()[: min(field.max_length, 160)]
            rows.append(translated(**values))
        translated.objects.bulk_create(rows, batch_size=2000)
