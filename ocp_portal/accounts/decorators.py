"""For the views of public accounts (extraits, non-divulgation): logged in, with a Compte."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def account_required(view):
    """Login required (redirects to comptes:login); 403 for a user without Compte, e.g. a clerk."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not hasattr(request.user, "compte"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
