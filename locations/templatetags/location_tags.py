from django import template

register = template.Library()


@register.filter
def tel_href(phone):
    """A phone number as a tel: link target: its digits, and a leading +."""
    digits = "".join(ch for ch in str(phone) if ch.isdigit() or ch == "+")
    return f"tel:{digits}"
