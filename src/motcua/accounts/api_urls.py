from django.urls import path

from . import api

urlpatterns = [path("me/", api.Me.as_view(), name="me")]
