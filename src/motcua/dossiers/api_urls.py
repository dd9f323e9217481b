from django.urls import path

from . import api

urlpatterns = [
    path("dossiers/", api.DossierList.as_view(), name="dossier-list"),
    path("dossiers/worklist/", api.Worklist.as_view(), name="dossier-worklist"),
    path("dossiers/lookup/", api.PublicLookup.as_view(), name="dossier-lookup"),
    path("dossiers/drafts/", api.DraftCreate.as_view(), name="draft-create"),
    path("dossiers/drafts/<int:draft_id>/", api.DraftDetail.as_view(), name="draft-detail"),
    path(
        "dossiers/drafts/<int:draft_id>/attachments/",
        api.DraftAttachment.as_view(),
        name="draft-attachments",
    ),
    path("dossiers/drafts/<int:draft_id>/submit/", api.DraftSubmit.as_view(), name="draft-submit"),
    path("dossiers/<str:code>/", api.DossierDetail.as_view(), name="dossier-detail"),
    path("dossiers/<str:code>/actions/", api.DossierAction.as_view(), name="dossier-action"),
]
