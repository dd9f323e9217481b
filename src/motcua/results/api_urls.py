from django.urls import path

from . import api

urlpatterns = [
    path("results/verify/", api.VerifyUpload.as_view(), name="result-verify"),
    path("results/<str:token>/", api.VerifyToken.as_view(), name="result-detail"),
]
