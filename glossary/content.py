"""How `content/glossary/*.md` maps onto Term (see spinesite.content).

One file per term, like conditions: the loader checks, names and skips each file
the same way. The body is the plain meaning, checked like the admin form checks it.
"""

from django import forms

from spinesite.content import ContentKind

from .models import Term


class TermFileForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["term", "definition", "status"]


GLOSSARY = ContentKind(
    folder="glossary",
    form=TermFileForm,
    body_field="definition",
    lists={"also_called": ""},
)
