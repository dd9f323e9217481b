from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("ho-so/", views.my_dossiers, name="mine"),
    path("ho-so/nop/<str:code>/", views.start, name="start"),
    path("ho-so/nhap/<int:draft_id>/buoc/<int:step>/", views.draft_step, name="draft"),
    path("ho-so/nhap/<int:draft_id>/hoan-tat/", views.review, name="review"),
    path("ho-so/<str:code>/", views.detail, name="detail"),
    path("ho-so/<str:code>/tep/<int:attachment_id>/", views.attachment, name="attachment"),
    path("ho-so/<str:code>/mau-<str:form>.pdf", views.document, name="document"),
    path("tra-cuu-ho-so/", views.lookup, name="lookup"),
    path("can-bo/ho-so/", views.officer_worklist, name="officer_worklist"),
    path("can-bo/ho-so/<str:code>/", views.officer_dossier, name="officer_dossier"),
]
