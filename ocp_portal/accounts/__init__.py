"""Public user accounts: sign-up with e-mail verification, login throttled by django-axes, password reset."""
