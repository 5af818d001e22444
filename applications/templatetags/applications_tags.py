from django import forms, template

register = template.Library()


def _is_group(bound) -> bool:
    return isinstance(bound.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))


def field_anchor(bound) -> str:
    """The id the error summary links to: the input itself, or a group's first option."""
    return f"{bound.auto_id}_0" if _is_group(bound) else bound.auto_id


@register.inclusion_tag("applications/_field.html")
def ds_field(bound):
    """A form field as Designsystemet markup: label, description, input, validation message,
    wired together with aria-describedby / aria-invalid."""
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}_help")
    if bound.errors:
        described.append(f"{bound.auto_id}_error")
    attrs = {"class": "ds-input"}
    if bound.errors:
        attrs["aria-invalid"] = "true"
    group = _is_group(bound)
    if not group and described:
        attrs["aria-describedby"] = " ".join(described)
    if group:
        bound.field.widget.attrs.update(attrs)
        widget_html = ""
    else:
        widget_html = bound.as_widget(attrs=attrs)
    return {"field": bound, "group": group, "widget_html": widget_html, "described": " ".join(described),
            "multiple": isinstance(bound.field.widget, forms.CheckboxSelectMultiple)}


@register.simple_tag
def error_anchor(bound):
    return field_anchor(bound)
