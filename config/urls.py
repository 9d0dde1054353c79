from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.api import auth, schema  # noqa: F401 - schema registers the token scheme

api_v1 = [
    path("auth/token/", auth.TokenLoginView.as_view(), name="auth-token"),
    path("auth/logout/", auth.LogoutView.as_view(), name="auth-logout"),
    path("auth/logout-all/", auth.LogoutAllView.as_view(), name="auth-logout-all"),
    path("", include("training.api.urls")),
    path("", include("quizzes.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("portal.api_urls")),
]

urlpatterns = [
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("healthz", auth.HealthView.as_view(), name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("portal.urls")),
]

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"

admin.site.site_header = "xuefa 学法 管理"
admin.site.site_title = "xuefa"
