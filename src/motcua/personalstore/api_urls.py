from django.urls import path

from . import api

urlpatterns = [
    path("me/documents/", api.MyDocuments.as_view(), name="me-documents"),
    path("me/documents/<int:pk>/", api.MyDocument.as_view(), name="me-document"),
    path(
        "me/documents/<int:pk>/download/",
        api.MyDocumentDownload.as_view(),
        name="me-document-download",
    ),
    path("me/documents/<int:pk>/share/", api.MyDocumentShare.as_view(), name="me-document-share"),
    path("me/documents/<int:pk>/hide/", api.MyDocumentHide.as_view(), name="me-document-hide"),
    path("store/deposits/", api.Deposits.as_view(), name="store-deposits"),
    path("store/reduction/", api.Reduction.as_view(), name="store-reduction"),
]
