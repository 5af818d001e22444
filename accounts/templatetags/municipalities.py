"""Which municipality an item belongs to, for the citizen's lists: a case, letter, conversation
or draft from another municipality than the one whose Min Side they are on is marked with its
name ("Lier kommune"), from the process' copy of the municipalities (no query per row)."""

from django import template

from accounts.tenancy import municipality_get

register = template.Library()


@register.simple_tag(takes_context=True)
def other_municipality(context, obj) -> str:
    """The name of `obj`'s municipality if it is not the request's, else ""."""
    request = context.get("request")
    here = getattr(getattr(request, "municipality", None), "pk", None)
    there = getattr(obj, "municipality_id", None)
    if there is None or there == here:
        return ""
    municipality = municipality_get(there)
    return municipality.display_name if municipality is not None else ""


@register.simple_tag
def municipality_host_url(obj, path: str, request=None) -> str:
    """`path` on the host of `obj`'s municipality (a draft to continue where it was started)."""
    municipality = municipality_get(getattr(obj, "municipality_id", None))
    here = getattr(getattr(request, "municipality", None), "pk", None)
    if municipality is None or municipality.pk == here or not municipality.primary_host or request is None:
        return path
    port = request.get_port()
    return f"{request.scheme}://{municipality.primary_host}{'' if port in ('80', '443') else ':' + port}{path}"


@register.simple_tag
def municipality_of(obj) -> str:
    """The name of the municipality `obj` belongs to (in the active language)."""
    municipality = municipality_get(getattr(obj, "municipality_id", None))
    return municipality.display_name if municipality is not None else ""
