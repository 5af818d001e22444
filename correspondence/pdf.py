"""PDF rendering with WeasyPrint: the one place letters become PDFs."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

# The archival variant for stored letters (Noark 5 wants PDF/A for the archive version).
ARCHIVAL_PDF_VARIANT = "pdf/a-3b"


def render_pdf(*, template: str, context: dict, language: str = "nb", pdf_variant: str | None = None) -> bytes:
    """Render an HTML template to PDF in the given language. Slow (about 0.5 s): call it from
    a task or after commit, never inside a request's transaction.

    `pdf_variant` is passed to WeasyPrint (e.g. ARCHIVAL_PDF_VARIANT for PDF/A-3b); None gives
    a plain PDF."""
    from weasyprint import HTML  # imported lazily: heavy, and only workers need it

    with translation.override(language):
        html = render_to_string(template, {**context, "municipality_name": settings.MUNICIPALITY_NAME,
                                           "municipality_contact_email": settings.MUNICIPALITY_CONTACT_EMAIL,
                                           "municipality_phone": settings.MUNICIPALITY_PHONE})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant=pdf_variant)
