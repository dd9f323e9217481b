"""Printing: the frame every official PDF of the platform shares (not a Django app).

The national header, A4 margins, Vietnamese dates and places, QR codes and the embedded font,
as Decree 30/2020/NĐ-CP presents administrative documents. The one-stop forms (dossiers), the
signed results (results) and the fee receipts (payments) are drawn on it; keeping it here
lets each of them print without importing another app's modules.
"""
