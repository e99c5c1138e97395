"""Screenshots of the main pages on a phone and a desktop, for looking at the design.

Run by `make screenshots` (scripts/screenshots.sh), which serves the site on a
scratch database with the sample content. This gives the sample clinic a logo and
a colour through the admin's own form, then saves PNGs into screenshots/.
"""

import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spinesite.settings")

PAGES = {
    "home": "/",
    "conditions": "/conditions/",
    "fbss": "/conditions/failed-back-surgery-syndrome/",
    "contact": "/contact/",
    # Spanish runs longer than English: its words must wrap, its buttons fit.
    "es-home": "/es/",
    "es-fbss": "/es/conditions/failed-back-surgery-syndrome/",
    "es-contact": "/es/contact/",
}
# More pages for one run: SCREENSHOT_PAGES="name=/path/ other=/path/".
PAGES |= dict(pair.split("=", 1) for pair in os.environ.get("SCREENSHOT_PAGES", "").split())
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
SAMPLE_COLOUR = "#1f6f5c"


def give_the_clinic_an_identity():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from spinesite.admin import ClinicDetailsForm
    from spinesite.models import ClinicDetails

    clinic = ClinicDetails.get_solo()
    data = {field: getattr(clinic, field) for field in ("name", "phone", "address")}
    data |= {"opening_hours": clinic.opening_hours, "brand_colour": SAMPLE_COLOUR}
    logo = (ROOT / "scripts" / "sample-logo.svg").read_bytes()
    form = ClinicDetailsForm(
        data, {"logo": SimpleUploadedFile("logo.svg", logo, "image/svg+xml")}, instance=clinic
    )
    if not form.is_valid():
        raise SystemExit(f"clinic details refused: {form.errors.as_text()}")
    form.save()


def main(base_url, out_dir):
    from playwright.sync_api import sync_playwright

    out = Path(out_dir)
    out.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu"],
        )
        for scheme in ("light", "dark"):
            for size, (width, height) in SIZES.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    is_mobile=size == "phone",
                    device_scale_factor=1,
                    color_scheme=scheme,
                )
                tab = context.new_page()
                for name, path in PAGES.items():
                    tab.goto(base_url + path, wait_until="networkidle")
                    suffix = "" if scheme == "light" else "-dark"
                    tab.screenshot(path=out / f"{name}-{size}{suffix}.png")
                    if scheme == "light":
                        tab.screenshot(path=out / f"{name}-{size}-full.png", full_page=True)
                context.close()
        browser.close()
    print(f"Screenshots in {out}/")


if __name__ == "__main__":
    django.setup()
    give_the_clinic_an_identity()
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "screenshots")
