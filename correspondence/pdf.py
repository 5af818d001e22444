"""PDF rendering with WeasyPrint: the one place letters become PDFs."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

# The archival variant for stored letters (Noark 5 wants PDF/A for the archive version).
ARCHIVAL_PDF_VARIANT = "pdf/a-3b"


def letterhead(municipality, language: str) -> dict:
    """The sender on every letter: the municipality's name (in the letter's language), coat of
    arms, contact details, organisation number and sender identity."""
    if municipality is None:
        return {}
    with translation.override(language):
        name = municipality.display_name
    arms = municipality.coat_of_arms.path if municipality.coat_of_arms else ""
    return {"municipality": municipality, "municipality_name": name, "municipality_contact_email": municipality.email,
            "municipality_phone": municipality.phone, "municipality_address": municipality.visiting_address,
            "municipality_organisation_number": municipality.organisation_number,
            "municipality_arms_path": arms}


def render_pdf(*, template: str, context: dict, language: str = "nb", pdf_variant: str | None = None,
               municipality=None) -> bytes:
    """Render an HTML template to PDF in the given language, with `municipality`'s letterhead.
    Slow (about 0.5 s): call it from a task or after commit, never inside a request's transaction.

    `pdf_variant` is passed to WeasyPrint (e.g. ARCHIVAL_PDF_VARIANT for PDF/A-3b); None gives
    a plain PDF."""
    from weasyprint import HTML  # imported lazily: heavy, and only workers need it

    with translation.override(language):
        html = render_to_string(template, {**context, **letterhead(municipality, language)})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant=pdf_variant)
