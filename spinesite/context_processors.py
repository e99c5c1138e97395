from django.utils.functional import SimpleLazyObject

from .contentsnapshot import clinic_details, layout


def clinic(request):
    """The clinic's details and the layout's rows (spinesite.layout),
    for the header and footer of every page. The layout is read only if a template
    uses it and the request did not bring it (staff pages, form posts)."""
    return {"clinic": clinic_details(request), "layout": SimpleLazyObject(lambda: layout(request))}
