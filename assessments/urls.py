from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.home, name="home"),
    path("danh-gia/<int:pk>/", views.my_entry, name="my_entry"),
    path("danh-gia/<int:pk>/co-quan/<int:agency_pk>/", views.entry, name="entry"),
    path("danh-gia/<int:pk>/co-quan/<int:agency_pk>/gui/", views.submit, name="submit"),
    path(
        "danh-gia/<int:pk>/co-quan/<int:agency_pk>/tai-excel/",
        views.entry_export,
        name="entry_export",
    ),
    path("danh-gia/<int:pk>/co-quan/<int:agency_pk>/tra-lai/", views.return_part, name="return_part"),
    path(
        "danh-gia/<int:pk>/co-quan/<int:agency_pk>/tieu-chi/<int:criterion_pk>/tai-lieu/",
        views.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "danh-gia/<int:pk>/co-quan/<int:agency_pk>/tieu-chi/<int:criterion_pk>/ap-dung/",
        views.set_applicability,
        name="set_applicability",
    ),
    path(
        "danh-gia/<int:pk>/co-quan/<int:agency_pk>/tieu-chi/<int:criterion_pk>/y-kien-phoi-hop/",
        views.contributor_remark,
        name="contributor_remark",
    ),
    path("bo-tieu-chi/", views.framework_list, name="framework_list"),
    path("bo-tieu-chi/<int:pk>/", views.framework_detail, name="framework_detail"),
    path("bo-tieu-chi/<int:pk>/sao-chep/", views.framework_copy, name="framework_copy"),
    path("thong-bao/", views.notification_list, name="notifications"),
    path("thong-bao/<int:notification_pk>/mo/", views.notification_open, name="notification_open"),
    path("thong-bao/da-doc-het/", views.notification_read_all, name="notification_read_all"),
    path("tai-khoan/", views.account, name="account"),
    path("tai-lieu/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    path("tai-lieu/<int:evidence_pk>/xoa/", views.evidence_delete, name="evidence_delete"),
    path("danh-gia/<int:pk>/tien-do/", views.progress, name="progress"),
    path(
        "tinh/<int:province_pk>/khoi/<int:year>/<str:kind>/tien-do/",
        views.block_progress,
        name="block_progress",
    ),
    path("danh-gia/<int:pk>/gia-han/", views.extend, name="extend"),
    path("danh-gia/<int:pk>/giai-doan/", views.phase, name="phase"),
    path("danh-gia/<int:pk>/khoa/", views.lock, name="lock"),
    path("danh-gia/<int:pk>/mo-khoa/", views.unlock, name="unlock"),
    path("danh-gia/<int:pk>/tham-dinh/", views.appraisal, name="appraisal"),
    path(
        "danh-gia/<int:pk>/tham-dinh/lay-diem-tu-danh-gia/",
        views.appraisal_take_self,
        name="appraisal_take_self",
    ),
    path(
        "danh-gia/<int:pk>/tieu-chi/<int:criterion_pk>/lich-su/",
        views.criterion_history,
        name="criterion_history",
    ),
]
