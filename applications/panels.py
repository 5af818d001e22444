"""What applications shows on the caseworker's case page (cases.panels)."""

from cases.panels import caseworker_panel

from .selectors import application_summary_for_case, attachments_for_case


@caseworker_panel(order=10)
def application_as_submitted(request, case):
    """The application as the citizen submitted it (the frozen summary) and its attachments."""
    return "applications/admin/case_application.html", {
        "sections": application_summary_for_case(case=case), "attachments": list(attachments_for_case(case=case)),
    }
