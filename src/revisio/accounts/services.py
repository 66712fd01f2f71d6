"""Writes for accounts: sign-up, profile, tokens. Callers own the transaction of the request."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from revisio.accounts import tokens
from revisio.accounts.models import Agency, ApiToken, Membership, Role, User


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
