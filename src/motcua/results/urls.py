from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("ket-qua/<int:result_id>.pdf", views.download, name="download"),
    path("ket-qua/<int:result_id>/gui-buu-chinh/", views.request_delivery, name="request_delivery"),
    # Officer actions live under /can-bo/, where the second factor is enforced.
    path(
        "can-bo/ket-qua/<int:result_id>/buu-chinh/",
        views.update_delivery,
        name="update_delivery",
    ),
    path("can-bo/ket-qua/<int:result_id>/thu-hoi/", views.revoke, name="revoke"),
    path("can-bo/ho-so/<str:code>/ky-lai-ket-qua/", views.reissue, name="reissue"),
    path(
        "can-bo/ho-so/<str:code>/ket-qua/noi-dung-quyet-dinh/",
        views.decision_fields,
        name="decision_fields",
    ),
    path("can-bo/ho-so/<str:code>/ket-qua/xem-truoc.pdf", views.preview, name="preview"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:token>/", views.verify_token, name="verify_token"),
]
