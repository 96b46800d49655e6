"""/api/v1/: the JSON API, its OpenAPI schema and its documentation (Swagger UI served from
drf-spectacular-sidecar's static files, its start-up script a separate file: no CDN, no inline
script. Redoc is not offered: it loads web fonts from the internet)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("subjects", views.SubjectViewSet, basename="subject")
router.register("frameworks", views.FrameworkViewSet, basename="framework")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register(r"assessments/(?P<assessment_pk>\d+)/scores", views.ScoreViewSet, basename="score")
router.register("published-results", views.PublishedResultViewSet, basename="published-result")

app_name = "api"
urlpatterns = [
    path("years/", views.YearsView.as_view(), name="years"),
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[AllowAny]),
        name="docs",
    ),
]
