"""System checks of the poursuites app's own settings, run by every `manage.py` command that checks
(migrate, runserver), so that bad figures stop the portal before a debtor sees them."""

from django.conf import settings
from django.core.checks import Error, register

from .minimum_vital import NormsError, parse_norms


@register()
def minimum_vital_norms_are_readable(app_configs, **kwargs):
    """The minimum-vital calculator reads its figures from MINIMUM_VITAL_NORMS at each request."""
    try:
        parse_norms(getattr(settings, "MINIMUM_VITAL_NORMS", None))
    except NormsError as error:
        return [
            Error(
                f"MINIMUM_VITAL_NORMS: {problem}.",
                hint="See the docstring of poursuites/minimum_vital.py for the expected shape.",
                id="poursuites.E001",
            )
            for problem in error.problems
        ]
    return []
