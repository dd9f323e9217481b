"""Development signing keys: a certificate authority and one signing certificate per agency.

Production keys come from the agencies' own certificates (files or an HSM, see
``docs/operations.md``); these are made with ``cryptography`` so that development, tests and
demos sign and verify exactly as production does. Files, under ``MOTCUA_SIGNING_DIR``::

    ca/ca.cert.pem  ca/ca.key.pem                the trust root of the verification page
    agencies/<code>.cert.pem  <code>.key.pem     one agency's signing certificate and key
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_NAME = "Motcua Development CA (not for production)"
CA_YEARS = 10
SIGNER_YEARS = 3
# Not a public extended key usage: documents signed by a person or an organisation.
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")


@dataclass(frozen=True)
class KeyPaths:
    cert: Path
    key: Path


def ca_paths(root: Path) -> KeyPaths:
    return KeyPaths(root / "ca" / "ca.cert.pem", root / "ca" / "ca.key.pem")


def agency_paths(root: Path, agency_code: str) -> KeyPaths:
    folder = root / "agencies"
    return KeyPaths(folder / f"{agency_code}.cert.pem", folder / f"{agency_code}.key.pem")


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(data)


def _pem_key(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _load(paths: KeyPaths) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    cert = x509.load_pem_x509_certificate(paths.cert.read_bytes())
    key = serialization.load_pem_private_key(paths.key.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return cert, key


def ensure_ca(root: Path) -> tuple[x509.Certificate, bool]:
    """The development CA, created if missing. Returns it and whether it was created."""
    paths = ca_paths(root)
    if paths.cert.exists() and paths.key.exists():
        return _load(paths)[0], False
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Motcua"),
            x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
        ]
    )
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(paths.key, _pem_key(key))
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, True


def fit_name(name: str, limit: int = 64) -> str:
    """A name cut to what a certificate's name attribute holds: 64 bytes of UTF-8, and
    Vietnamese letters take two or three bytes each (a long agency name would not fit)."""
    cut = name.strip()
    while len(cut.encode("utf-8")) > limit:
        cut = cut[:-1]
    return cut.rstrip() or "?"


def ensure_agency_certificate(root: Path, *, code: str, name: str) -> bool:
    """One agency's signing key and certificate, issued by the CA, if missing. True if made."""
    paths = agency_paths(root, code)
    ensure_ca(root)
    ca_cert, ca_key = _load(ca_paths(root))
    if paths.cert.exists() and paths.key.exists():
        try:
            # Still issued by this CA (a new CA makes the old certificates worthless).
            x509.load_pem_x509_certificate(paths.cert.read_bytes()).verify_directly_issued_by(
                ca_cert
            )
            return False
        except (ValueError, TypeError, InvalidSignature):
            pass
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, fit_name(name)),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, code),
            x509.NameAttribute(NameOID.COMMON_NAME, fit_name(name)),
        ]
    )
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * SIGNER_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write_private(paths.key, _pem_key(key))
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return True
