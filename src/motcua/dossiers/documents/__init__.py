"""PDF documents of the one-stop procedure (DOMAIN.md §4): forms 01–06, in Vietnamese.

``receipt_pdf`` (01), ``supplement_request_pdf`` (02), ``refusal_pdf`` (03), ``apology_pdf``
(04), ``stop_pdf`` (05) and ``control_sheet_pdf`` (06) each return a whole A4 PDF as bytes,
drawn on the shared frame of ``motcua.printing`` (DejaVu Sans embedded).
"""

from .forms import (
    apology_pdf,
    control_sheet_pdf,
    receipt_pdf,
    refusal_pdf,
    stop_pdf,
    supplement_request_pdf,
)

__all__ = [
    "apology_pdf",
    "control_sheet_pdf",
    "receipt_pdf",
    "refusal_pdf",
    "stop_pdf",
    "supplement_request_pdf",
]
