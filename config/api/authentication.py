from knox.auth import TokenAuthentication


class DeviceTokenAuthentication(TokenAuthentication):
    """Knox's per-device tokens, without its per-request sweep of the user's
    other tokens (one extra query on every call, the answer save included).
    Expired tokens are still refused here and purged by `knox_purge` periodically."""

    def _cleanup_token(self, auth_token) -> bool:
        from django.utils import timezone

        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False
