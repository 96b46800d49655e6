from django.urls import path

from . import ranking_views, trends, views

app_name = "reports"
urlpatterns = [
    path("<int:pk>/", views.report_page, name="detail"),
    path("<int:pk>/tai-ve.<str:fmt>", views.report_download, name="download"),
    path("<int:pk>/tep/", views.report_files, name="files"),
    path("<int:pk>/bieu-do/<str:kind>.svg", views.report_chart, name="chart"),
    path("<int:pk>/sua/", views.report_edit, name="edit"),
    path("doi-tuong/<int:subject_pk>/xu-huong/", trends.subject_trends, name="trends"),
    path("tinh/<int:province_pk>/xep-hang/", ranking_views.ranking_page, name="ranking"),
    path("tinh/<int:province_pk>/xep-hang/tai-ve.xlsx", ranking_views.ranking_xlsx, name="ranking_xlsx"),
    path(
        "tinh/<int:province_pk>/cong-bo/<int:year>/tai-ve.<str:fmt>",
        ranking_views.announcement,
        name="announcement",
    ),
    path("<int:pk>/phieu-ket-qua.<str:fmt>", ranking_views.unit_sheet, name="unit_sheet"),
]
