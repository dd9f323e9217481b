from django.urls import path

from . import api

urlpatterns = [
    path(
        "indicators/satisfaction/",
        api.satisfaction_indicators,
        name="satisfaction-indicators",
    ),
]
