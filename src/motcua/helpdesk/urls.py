from django.urls import path

from . import views

app_name = "helpdesk"

urlpatterns = [
    path("ho-tro/", views.help_page, name="help"),
]
