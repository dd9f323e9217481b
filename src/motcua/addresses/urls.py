from django.urls import URLPattern

app_name = "addresses"

urlpatterns: list[URLPattern] = []
