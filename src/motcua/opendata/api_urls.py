from django.urls import path

from . import api

app_name = "opendata_api"

urlpatterns = [
    path("<str:name>", api.action_view, name="action"),
]
