from .models import ClinicDetails


def clinic(request):
    """The clinic's details, for the header and footer of every page."""
    return {"clinic": ClinicDetails.get_solo()}
