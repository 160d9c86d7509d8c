from django import template

from ocp_portal.dashboard import entries_for

register = template.Library()


@register.simple_tag
def dashboard_entries(user):
    """The day's work that `user` may see (ocp_portal.dashboard)."""
    return entries_for(user)
