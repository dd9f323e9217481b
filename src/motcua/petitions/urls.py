from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    path("phan-anh/", views.report_list, name="list"),
    path("phan-anh/ban-do.json", views.map_data, name="map_data"),
    path("phan-anh/xac-minh/", views.verify_phone, name="verify_phone"),
    path("phan-anh/gui/", views.file, name="file"),
    path("phan-anh/<str:code>/", views.track, name="track"),
    path("phan-anh/<str:code>/tep/<int:pk>/", views.report_file, name="file_download"),
    path("phan-anh/<str:code>/danh-gia/", views.rate, name="rate"),
    path("phan-anh/<str:code>/mo-lai/", views.reopen, name="reopen"),
    path("can-bo/phan-anh/", views.officer_list, name="officer_list"),
    path("can-bo/phan-anh/<str:code>/", views.officer_report, name="officer_report"),
    path("can-bo/phan-anh/<str:code>/tiep-nhan/", views.officer_accept, name="officer_accept"),
    path("can-bo/phan-anh/<str:code>/chuyen/", views.officer_forward, name="officer_forward"),
    path("can-bo/phan-anh/<str:code>/tra-loi/", views.officer_answer, name="officer_answer"),
]
