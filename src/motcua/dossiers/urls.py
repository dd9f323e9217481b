from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("ho-so/", views.my_dossiers, name="mine"),
    path("ho-so/nop/<str:code>/", views.start, name="start"),
    path("ho-so/nhap/<int:draft_id>/buoc/<int:step>/", views.draft_step, name="draft"),
    path("ho-so/nhap/<int:draft_id>/hoan-tat/", views.review, name="review"),
    path("ho-so/<str:code>/", views.detail, name="detail"),
    path("ho-so/<str:code>/bo-sung/tep/", views.supplement_upload, name="supplement_upload"),
    path("ho-so/<str:code>/bo-sung/", views.supplement_done, name="supplement_done"),
    path("ho-so/<str:code>/rut/", views.withdraw, name="withdraw"),
    path("ho-so/<str:code>/tep/<int:attachment_id>/", views.attachment, name="attachment"),
    path("ho-so/<str:code>/mau-<str:form>.pdf", views.document, name="document"),
    path("tra-cuu-ho-so/", views.lookup, name="lookup"),
    path("can-bo/ho-so/", views.officer_worklist, name="officer_worklist"),
    path("can-bo/ho-so/<str:code>/", views.officer_dossier, name="officer_dossier"),
    # One URL per officer action, each answered by a redirect to the page above when done.
    path("can-bo/ho-so/<str:code>/xu-ly/", views.officer_transition, name="officer_transition"),
    path("can-bo/ho-so/<str:code>/kiem-tra/", views.officer_checklist, name="officer_checklist"),
    path(
        "can-bo/ho-so/<str:code>/xin-loi/<int:letter_id>/",
        views.officer_apology,
        name="officer_apology",
    ),
    path("can-bo/ho-so/<str:code>/phoi-hop/", views.officer_consult, name="officer_consult"),
    path(
        "can-bo/ho-so/<str:code>/phoi-hop/<int:consultation_id>/tra-loi/",
        views.officer_answer,
        name="officer_answer",
    ),
]
