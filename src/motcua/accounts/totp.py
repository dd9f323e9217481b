"""TOTP enrolment for officers (django-otp devices, QR code with segno)."""

from __future__ import annotations

import base64

import segno
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled, created once so a reload shows the same QR."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def manual_entry_key(device: TOTPDevice) -> str:
    """The secret as authenticator apps expect it typed (base32, in groups of four)."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def enrolment_qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` URI (issuer from ``OTP_TOTP_ISSUER``) as an inline SVG QR code."""
    svg: str = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return svg
