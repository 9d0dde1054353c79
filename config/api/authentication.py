from django.utils import timezone
from knox.auth import TokenAuthentication
from rest_framework import exceptions


class DeviceTokenAuthentication(TokenAuthentication):
    """Knox's per-device tokens, with two changes.

    - No per-request sweep of the user's other tokens (one extra query on
      every call, the answer save included); an expired token is still
      refused here, and the login view deletes the user's expired tokens.
    - A token that is not ASCII is a 401, not a decoding error (a 500).
    """

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False
