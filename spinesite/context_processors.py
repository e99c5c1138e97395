from .pagecache import clinic_details


def clinic(request):
    """The clinic's details, for the header and footer of every page."""
    return {"clinic": clinic_details(request)}
