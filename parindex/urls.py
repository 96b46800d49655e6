from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "ParIndex – Quản trị"
admin.site.site_title = "ParIndex"
admin.site.index_title = "Quản trị dữ liệu Chỉ số cải cách hành chính"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("assessments.urls")),
    path("bao-cao/", include("reports.urls")),
    path("api/v1/", include("api.urls")),
    path("tai-khoan/ma-truy-cap/", include("api.account_urls")),
]
