"""Render Django form fields with Designsystemet's classes (used by the allauth pages)."""

from django import template

register = template.Library()


@register.filter
def ds_widget(field):
    """The field's widget with class="ds-input" (text-like inputs) and aria-describedby
    pointing at its help text and error messages."""
    attrs = {}
    if field.widget_type not in ("checkbox", "radioselect", "checkboxselectmultiple"):
        attrs["class"] = "ds-input"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
