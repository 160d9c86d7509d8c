"""One-use links proving that the owner of an account reads its mailbox."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """An HMAC over the account's state that changes once it is verified (is_active, verified_at).

    Valid for ACCOUNT_VERIFICATION_TIMEOUT seconds, independently of PASSWORD_RESET_TIMEOUT.
    """

    key_salt = "ocp_portal.accounts.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        compte = getattr(user, "compte", None)
        verified_at = "" if compte is None or compte.verified_at is None else compte.verified_at.isoformat()
        return f"{user.pk}{user.password}{user.is_active}{user.email}{verified_at}{timestamp}"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - timestamp) <= settings.ACCOUNT_VERIFICATION_TIMEOUT


verification_token = EmailVerificationTokenGenerator()
