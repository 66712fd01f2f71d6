"""Reads for accounts."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from revisio.accounts import tokens
from revisio.accounts.models import Agency, ApiToken, Role, User
from revisio.web.lookup import one_or_404


def user_for_token(secret: str) -> User | None:
    """The active user a personal access token belongs to, recording its use; None if invalid."""
    if not secret.startswith(tokens.TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=tokens.digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def api_token_get_for_user(*, user: User, token_id: object) -> ApiToken:
    return one_or_404(ApiToken.objects.filter(user=user), token_id)


def agencies_of(user: User) -> QuerySet[Agency]:
    return Agency.objects.filter(memberships__user=user)


class SignInStep(StrEnum):
    """Where a signed-in session stands with the second factor."""

    COMPLETE = "complete"  # verified, or the account has no second factor and needs none
    NEEDS_CODE = "needs-code"  # the password was right; a code from the authenticator (or a backup code) is due
    NEEDS_SETUP = "needs-setup"  # the role requires a second factor and the account has none yet


def two_factor_required(user: User) -> bool:
    """Coordinators and clinicians read other people's health records, and staff reach every record
    through the admin: they cannot use Revisio without a second factor. Patients may opt in."""
    return user.role in {Role.COORDINATOR, Role.CLINICIAN} or user.is_staff


def totp_device_for_user(*, user: User, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def two_factor_enabled(user: User) -> bool:
    """True once an authenticator app is confirmed (backup codes exist only alongside one)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def sign_in_step(*, user: User, verified: bool) -> SignInStep:
    """``verified``: the session has passed a second factor (``user.is_verified()`` under OTPMiddleware)."""
    if verified:
        return SignInStep.COMPLETE
    if two_factor_enabled(user):
        return SignInStep.NEEDS_CODE
    if two_factor_required(user):
        return SignInStep.NEEDS_SETUP
    return SignInStep.COMPLETE


def backup_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
