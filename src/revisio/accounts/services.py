"""Writes for accounts: sign-up, profile, tokens, two-factor devices. Callers own the transaction of the request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from revisio.accounts import tokens
from revisio.accounts.models import Agency, ApiToken, Membership, Role, User
from revisio.accounts.selectors import two_factor_enabled
from revisio.web.errors import Conflict, InvalidInput

BACKUP_CODE_COUNT = 10


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    display_name: str = "",
    role: Role = Role.PATIENT,
    languages: list[str] | None = None,
    current_country: str = "",
    country_of_residence: str = "",
    time_zone: str = "UTC",
) -> User:
    return User.objects.create_user(
        email,
        password,
        display_name=display_name,
        role=role,
        languages=languages or [],
        current_country=current_country.upper(),
        country_of_residence=country_of_residence.upper(),
        time_zone=time_zone,
    )


@transaction.atomic
def user_update_preferences(
    *,
    user: User,
    display_name: str,
    languages: list[str],
    current_country: str,
    country_of_residence: str,
    time_zone: str,
) -> User:
    user.display_name = display_name.strip()
    user.languages = list(languages)
    user.current_country = current_country.upper()
    user.country_of_residence = country_of_residence.upper()
    user.time_zone = time_zone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "languages", "current_country", "country_of_residence", "time_zone"])
    return user


@transaction.atomic
def agency_member_add(*, agency: Agency, user: User) -> Membership:
    membership, _ = Membership.objects.get_or_create(agency=agency, user=user)
    if user.role != Role.COORDINATOR:
        user.role = Role.COORDINATOR
        user.save(update_fields=["role"])
    return membership


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token and its secret; the secret is never stored and cannot be shown again."""
    secret = tokens.new_secret()
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:8], digest=tokens.digest(secret))
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The authenticator being set up: an unconfirmed device whose secret stays the same until it is
    confirmed, so reloading the page does not invalidate a QR code already scanned.
    Raises Conflict if the account already has a confirmed authenticator."""
    if two_factor_enabled(user):
        raise Conflict(_("Two-factor sign-in is already on."))
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return pending or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def _totp_device_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]] | None:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise Conflict(_("Start the set-up again: no authenticator is waiting to be confirmed."))
    if not device.verify_token(code):
        return None  # committed: the failure counts towards the device's throttling
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return device, _backup_codes_make(user=user)


def totp_device_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor sign-in on once ``code`` proves the app holds the secret; returns the device and
    the new backup codes (shown once, never again). Raises InvalidInput for a wrong code."""
    confirmed = _totp_device_confirm(user=user, code=code)
    if confirmed is None:
        raise InvalidInput(
            _("This code is not right. Check that the phone's clock is set automatically and try the next code."),
            field="code",
        )
    return confirmed


def _backup_codes_make(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def backup_codes_replace(*, user: User) -> list[str]:
    """New backup codes; the old ones stop working. Precondition: two-factor sign-in is on."""
    if not two_factor_enabled(user):
        raise Conflict(_("Turn two-factor sign-in on first."))
    return _backup_codes_make(user=user)


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@dataclass(frozen=True)
class CodeCheck:
    device: Device | None  # the device that accepted the code
    retry_at: dt.datetime | None = None  # set when the code was not even checked: too many wrong codes just now


@transaction.atomic
def two_factor_verify(*, user: User, code: str) -> CodeCheck:
    """Check a normalised code: six digits against the authenticator, anything else against the backup codes
    (a backup code works once). Devices are locked for the check, so two requests cannot both use one code."""
    model: type[TOTPDevice] | type[StaticDevice] = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    retry_at = None
    for device in model.objects.select_for_update().filter(user=user, confirmed=True):
        allowed, details = device.verify_is_allowed()
        if not allowed:
            retry_at = (details or {}).get("locked_until")
            continue
        if device.verify_token(code):
            return CodeCheck(device)
    return CodeCheck(None, retry_at)
