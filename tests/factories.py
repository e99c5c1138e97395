from datetime import timedelta

import factory
from django.conf import settings
from django.contrib.auth import get_user_model

from clinicians.models import Clinician
from conditions.models import Condition
from locations.models import Location, OpeningHours
from treatments.models import Treatment
from videos.models import Topic, Video


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery")


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Condition {n}")
    slug = factory.Sequence(lambda n: f"condition-{n}")
    summary = "A short plain summary."
    region = Condition.Region.LOWER_BACK
    body = "## What is it?\n\nA plain explanation.\n\n## Treatment options\n\nSome options.\n"
    status = Condition.Status.PUBLISHED

    @factory.post_generation
    def related(self, create, extracted, **kwargs):
        if create and extracted:
            self.related.set(extracted)


class TreatmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Treatment
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Treatment {n}")
    slug = factory.Sequence(lambda n: f"treatment-{n}")
    summary = "A short plain summary of a treatment."
    kind = Treatment.Kind.EXERCISE_THERAPY
    body = "## What is it?\n\nA plain explanation.\n\n## Risks\n\nSome risks.\n"
    status = Treatment.Status.PUBLISHED

    @factory.post_generation
    def conditions(self, create, extracted, **kwargs):
        if create and extracted:
            self.conditions.set(extracted)

    @factory.post_generation
    def related(self, create, extracted, **kwargs):
        if create and extracted:
            self.related.set(extracted)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda topic: topic.name.lower().replace(" ", "-"))


SAMPLE_MEDIA = settings.BASE_DIR / "content" / "videos" / "media"


class VideoFactory(factory.django.DjangoModelFactory):
    """A published YouTube video by default; `self_hosted=True` gives a real MP4 with
    captions (a committed sample). Test IDs are placeholders: tests never let a
    browser reach YouTube or Vimeo."""

    class Meta:
        model = Video
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Video {n}")
    slug = factory.Sequence(lambda n: f"video-{n}")
    description = "What this video covers."
    source_url = factory.Sequence(lambda n: f"https://youtu.be/testvid{n % 10000:04d}")
    duration = timedelta(minutes=2, seconds=5)
    thumbnail = factory.django.ImageField(width=64, height=36, color="gray", format="PNG")
    transcript = "### The first part\n\nWhat is said in the video.\n"
    status = Video.Status.PUBLISHED

    class Params:
        self_hosted = factory.Trait(
            source_url="",
            video_file=factory.django.FileField(
                from_path=SAMPLE_MEDIA / "sitting-and-standing.mp4"
            ),
            captions=factory.django.FileField(from_path=SAMPLE_MEDIA / "sitting-and-standing.vtt"),
        )

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def conditions(self, create, extracted, **kwargs):
        if create and extracted:
            self.conditions.set(extracted)

    @factory.post_generation
    def treatments(self, create, extracted, **kwargs):
        if create and extracted:
            self.treatments.set(extracted)


class LocationFactory(factory.django.DjangoModelFactory):
    """A published location, open Monday to Friday 8 am to 5 pm unless `hours` says
    otherwise ([(weekday, "08:00", "17:00")])."""

    class Meta:
        model = Location
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Location {n}")
    slug = factory.Sequence(lambda n: f"location-{n}")
    address = "100 Main Street\nAnytown, ST 00000"
    phone = "(555) 010-0199"
    status = Location.Status.PUBLISHED

    @factory.post_generation
    def hours(self, create, extracted, **kwargs):
        if not create:
            return
        rows = extracted if extracted is not None else [(d, "08:00", "17:00") for d in range(5)]
        OpeningHours.objects.bulk_create(
            OpeningHours(location=self, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in rows
        )


class ClinicianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinician
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Dr. Test Clinician {n}")
    slug = factory.Sequence(lambda n: f"clinician-{n}")
    credentials = "MD"
    summary = "Spine surgeon"
    bio = "A short plain biography."
    status = Clinician.Status.PUBLISHED

    @factory.post_generation
    def conditions(self, create, extracted, **kwargs):
        if create and extracted:
            self.conditions.set(extracted)

    @factory.post_generation
    def treatments(self, create, extracted, **kwargs):
        if create and extracted:
            self.treatments.set(extracted)

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        if create and extracted:
            self.locations.set(extracted)
