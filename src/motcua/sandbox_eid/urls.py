from django.urls import path

app_name = "sandbox_eid"

urlpatterns: list = []
