from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

admin.site.site_header = "ParIndex – Quản trị"
admin.site.site_title = "ParIndex"
admin.site.index_title = "Quản trị dữ liệu Chỉ số cải cách hành chính"

urlpatterns = [
    # Browsers ask for /favicon.ico on every page the <link rel="icon"> does not name (the admin).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("assessments.urls")),
    path("bao-cao/", include("reports.urls")),
    path("api/v1/", include("api.urls")),
    path("tai-khoan/ma-truy-cap/", include("api.account_urls")),
]
