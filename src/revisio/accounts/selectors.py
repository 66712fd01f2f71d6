"""Reads for accounts."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from revisio.accounts import tokens
from revisio.accounts.models import Agency, ApiToken, User
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
