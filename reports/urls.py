from django.urls import path

from . import trends, views

app_name = "reports"
urlpatterns = [
    path("<int:pk>/", views.report_page, name="detail"),
    path("<int:pk>/tai-ve.<str:fmt>", views.report_download, name="download"),
    path("<int:pk>/tep/", views.report_files, name="files"),
    path("<int:pk>/sua/", views.report_edit, name="edit"),
    path("doi-tuong/<int:subject_pk>/xu-huong/", trends.subject_trends, name="trends"),
]
