import factory
from django.contrib.auth import get_user_model

from conditions.models import Condition


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
