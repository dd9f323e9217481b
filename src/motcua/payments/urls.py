from django.urls import path

from . import sandbox_views, views

app_name = "payments"

urlpatterns = [
    path("thanh-toan/ho-so/<str:code>/", views.pay, name="pay"),
    path("thanh-toan/ket-qua/<str:gateway_name>/", views.payment_return, name="return"),
    path("thanh-toan/ipn/<str:gateway_name>/", views.ipn, name="ipn"),
    path("thanh-toan/cua-toi/", views.my_payments, name="mine"),
    path("thanh-toan/bien-lai/<str:order_ref>.pdf", views.receipt, name="receipt"),
    path("can-bo/thanh-toan/", views.officer_report, name="officer_report"),
    path("can-bo/thanh-toan/bao-cao.csv", views.officer_report_csv, name="officer_report_csv"),
    path("can-bo/thanh-toan/<str:order_ref>/hoan-tien/", views.record_refund, name="record_refund"),
    path("sandbox/pay/paymentv2/vpcpay.html", sandbox_views.pay, name="sandbox_pay"),
    path(
        "sandbox/pay/merchant_webapi/api/transaction",
        sandbox_views.querydr,
        name="sandbox_querydr",
    ),
]
