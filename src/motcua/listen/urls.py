from django.urls import path

from . import views

app_name = "listen"

urlpatterns = [
    path("thu-tuc/<str:code>/nghe/", views.listen, name="listen"),
    path("thu-tuc/<str:code>/nghe/<int:pk>.wav", views.recording, name="recording"),
]
