from django import template
from django.utils import formats

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.755 -> "75,5 %" (in the reader's number format)."""
    if value is None or value == "":
        return "–"
    return f"{formats.number_format(float(value) * 100, decimal_pos=1, use_l10n=True)} %"
