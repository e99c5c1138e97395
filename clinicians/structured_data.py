"""JSON-LD for clinician pages: schema.org Physician, or Person for other clinicians."""

from spinesite.seo import SCHEMA, absolute_url


def person(clinician, request=None):
    """Physician (MD, DO) or Person, with specialties, languages and board certifications
    only where they are filled in: a profile must not claim what nobody entered."""
    data = {
        "@context": SCHEMA,
        "@type": "Physician" if clinician.is_physician else "Person",
        "name": clinician.title,
        "url": absolute_url(clinician.get_absolute_url(), request),
        "jobTitle": clinician.summary,
    }
    if clinician.credentials:
        data["honorificSuffix"] = clinician.credentials
    if clinician.photo:
        data["image"] = absolute_url(clinician.photo.url, request)
    if clinician.specialty_list:
        data["medicalSpecialty"] = [tag["name"] for tag in clinician.specialty_list]
    if clinician.language_list:
        data["knowsLanguage"] = [tag["name"] for tag in clinician.language_list]
    if clinician.certification_list:
        data["hasCredential"] = [
            {
                "@type": "EducationalOccupationalCredential",
                "credentialCategory": "Board certification",
                "name": item["name"],
                "recognizedBy": {"@type": "Organization", "name": item["board"]},
            }
            for item in clinician.certification_list
        ]
    return data
