from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from revisio.api.api import api
from revisio.cases import sharing_views
from revisio.web import health, metrics, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("revisio.accounts.urls")),
    path("cases/", include("revisio.cases.urls")),
    path("cases/", include("revisio.diary.urls")),
    path("cases/", include("revisio.escalation.urls")),
    path("cases/", include("revisio.dossier.urls")),
    path("cases/", include("revisio.audit.urls")),
    path("invites/<str:secret>/", sharing_views.invite, name="invite"),
    path("account/", include("revisio.rights.urls")),
    path("agency/", include("revisio.agency.urls")),
    path("directory/", include("revisio.directory.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
]

handler400 = "revisio.web.views.bad_request"
handler403 = "revisio.web.views.permission_denied"
handler404 = "revisio.web.views.page_not_found"
handler500 = "revisio.web.views.server_error"
