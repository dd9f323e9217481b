"""Who signs: each agency's key and certificate, from files or from an HSM (PKCS#11).

A ``KeyStore`` gives pyHanko a ``Signer`` for an agency; ``sign_pdf`` applies a PAdES
signature (the signer's certificate and chain embedded, the signing time in the signature
dictionary). The CA certificate in ``MOTCUA_SIGNING_CA_CERT`` is the trust root of
verification. Configuration: ``MOTCUA_SIGNING_BACKEND``, the identifier of a key store in the
``signing_backends`` registry ("files", "pkcs11"; "development" for demos and tests).
"""

from __future__ import annotations

import io
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import ClassVar

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from django.conf import settings
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from motcua.agencies.models import Agency
from motcua.plugins import Plugin, Registry, UnknownPlugin

from .keys import agency_paths, ensure_agency_certificate

FIELD_NAME = "Signature1"
# Room for the CMS signature (certificate chain + RSA signature, about 4 KB). Fixed, so pyHanko
# need not sign twice to measure it; a time stamp's size is left to pyHanko to estimate.
SIGNATURE_BYTES = 8192


class SigningUnavailable(Exception):
    """No key for this agency, or the key store cannot be reached."""


class KeyStore(Plugin, ABC):
    """Where agencies' signing keys come from; ``check_config`` says what is missing."""

    @abstractmethod
    def signer(self, agency: Agency) -> signers.Signer: ...


signing_backends: Registry[KeyStore] = Registry(
    KeyStore, kind="signing_backend", setting="MOTCUA_SIGNING_BACKEND"
)


def ca_certificate() -> asn1_x509.Certificate:
    """The platform's signing CA: the trust root of the verification page."""
    path = Path(settings.MOTCUA_SIGNING_CA_CERT)
    try:
        return _load_cert(str(path), path.stat().st_mtime_ns)
    except OSError as exc:
        raise SigningUnavailable(f"The signing CA certificate is missing ({path.name}).") from exc


@cache
def _load_cert(path: str, _mtime: int) -> asn1_x509.Certificate:
    return load_cert_from_pemder(path)


class ParsedKeySigner(signers.SimpleSigner):
    """pyHanko's ``SimpleSigner`` parses (and re-checks) the private key at every signature,
    about 90 ms for RSA-2048; this one parses it once and keeps it."""

    _private_key: PrivateKeyTypes | None = None

    @classmethod
    def wrap(cls, loaded: signers.SimpleSigner) -> ParsedKeySigner:
        return cls(
            signing_cert=loaded.signing_cert,
            signing_key=loaded.signing_key,
            cert_registry=loaded.cert_registry,
        )

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        if self._private_key is None:
            self._private_key = serialization.load_der_private_key(
                self.signing_key.dump(), password=None
            )
        key = self._private_key
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), hash_algorithm)
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hash_algorithm))
        return bytes(super().sign_raw(data, digest_algorithm))


@signing_backends.register
class FileKeyStore(KeyStore):
    """Keys in files under ``MOTCUA_SIGNING_DIR/agencies/``: ``<code>.p12`` (PKCS#12, its
    passphrase in ``MOTCUA_SIGNING_KEY_PASSPHRASE``) or ``<code>.key.pem`` + ``<code>.cert.pem``;
    an optional ``<code>.chain.pem`` holds intermediate certificates."""

    identifier = "files"
    verbose_name = "Key files (PEM or PKCS#12) per agency"
    _lock = threading.Lock()
    _signers: ClassVar[dict[tuple[str, int], signers.Signer]] = {}

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root or settings.MOTCUA_SIGNING_DIR)

    def check_config(self) -> list[str]:
        problems = []
        if not Path(settings.MOTCUA_SIGNING_CA_CERT).exists():
            problems.append("CA certificate missing")
        if not (self.root / "agencies").is_dir():
            problems.append("no agency keys")
        return problems

    def signer(self, agency: Agency) -> signers.Signer:
        paths = agency_paths(self.root, agency.code)
        pkcs12 = paths.cert.parent / f"{agency.code}.p12"
        chain = paths.cert.parent / f"{agency.code}.chain.pem"
        source = pkcs12 if pkcs12.exists() else paths.key
        try:
            # Loaded once per process and file version: parsing a key costs more than signing.
            key = (str(source), source.stat().st_mtime_ns)
        except OSError as exc:
            raise SigningUnavailable(f"No signing key for agency {agency.code}.") from exc
        with self._lock:
            cached = self._signers.get(key)
        if cached is not None:
            return cached
        ca_chain = [str(settings.MOTCUA_SIGNING_CA_CERT)]
        if chain.exists():
            ca_chain.append(str(chain))
        passphrase = settings.MOTCUA_SIGNING_KEY_PASSPHRASE.encode() or None
        if source == pkcs12:
            loaded = signers.SimpleSigner.load_pkcs12(
                str(pkcs12), ca_chain_files=ca_chain, passphrase=passphrase
            )
        else:
            loaded = signers.SimpleSigner.load(
                str(paths.key), str(paths.cert), ca_chain_files=ca_chain, key_passphrase=passphrase
            )
        if loaded is None:
            raise SigningUnavailable(f"The signing key of agency {agency.code} cannot be read.")
        parsed = ParsedKeySigner.wrap(loaded)
        with self._lock:
            self._signers[key] = parsed
        return parsed


@signing_backends.register
class DevelopmentKeyStore(FileKeyStore):
    """Key files as above, made on first use by the development CA (demo and tests only).

    Never the production default: a production key store refuses an agency without a key.
    A stand-in with no switch of its own: chosen only by ``MOTCUA_SIGNING_BACKEND``.
    """

    identifier = "development"
    verbose_name = "Key files made on first use by the development CA"
    is_sandbox = True

    def check_config(self) -> list[str]:
        return []  # the CA and each agency's keys are made when first needed

    def signer(self, agency: Agency) -> signers.Signer:
        paths = agency_paths(self.root, agency.code)
        if not (paths.cert.exists() and paths.key.exists()):
            ensure_agency_certificate(self.root, code=agency.code, name=agency.name)
        return super().signer(agency)


@signing_backends.register
class Pkcs11KeyStore(KeyStore):
    """Keys in an HSM or token through PKCS#11 (needs python-pkcs11: ``pyHanko[pkcs11]``).

    Each agency's key and certificate carry the agency code as their label. Settings:
    ``MOTCUA_PKCS11_MODULE`` (the vendor's library), ``MOTCUA_PKCS11_TOKEN_LABEL``,
    ``MOTCUA_PKCS11_PIN``.
    """

    identifier = "pkcs11"
    verbose_name = "HSM or token through PKCS#11"

    def check_config(self) -> list[str]:
        problems = []
        try:
            import pkcs11  # noqa: F401
        except ImportError:
            problems.append("python-pkcs11 is not installed")
        if not settings.MOTCUA_PKCS11_MODULE:
            problems.append("MOTCUA_PKCS11_MODULE is not set")
        return problems

    def signer(self, agency: Agency) -> signers.Signer:
        problems = self.check_config()
        if problems:
            raise SigningUnavailable("; ".join(problems))
        from pyhanko.sign import pkcs11 as hanko_pkcs11  # imports python-pkcs11

        session = _pkcs11_session(
            settings.MOTCUA_PKCS11_MODULE,
            settings.MOTCUA_PKCS11_TOKEN_LABEL,
            settings.MOTCUA_PKCS11_PIN,
        )
        return hanko_pkcs11.PKCS11Signer(
            session,
            cert_label=agency.code,
            key_label=agency.code,
            other_certs_to_pull=(),
            ca_chain=[ca_certificate()],
        )


@cache
def _pkcs11_session(module: str, token_label: str, pin: str) -> object:
    """One logged-in session per process (opening one is slow on most HSMs)."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as hanko_pkcs11

    return hanko_pkcs11.open_pkcs11_session(
        module, token_criteria=TokenCriteria(label=token_label or None), user_pin=pin or None
    )


def key_store() -> KeyStore:
    """The key store ``MOTCUA_SIGNING_BACKEND`` selects."""
    try:
        return signing_backends.usable(settings.MOTCUA_SIGNING_BACKEND)()
    except UnknownPlugin:
        raise SigningUnavailable(
            f"Unknown MOTCUA_SIGNING_BACKEND {settings.MOTCUA_SIGNING_BACKEND!r}."
        ) from None


@signing_backends.selector
def selected_key_store() -> dict[str, Callable[[], KeyStore]]:
    return {"signing": key_store}


def signing_certificate(signer: signers.Signer) -> asn1_x509.Certificate:
    cert = signer.signing_cert
    if cert is None:
        raise SigningUnavailable("The key store gave no signing certificate.")
    return cert


def sign_pdf(
    pdf: bytes, *, signer: signers.Signer, reason: str, location: str, contact: str
) -> bytes:
    """A PAdES baseline signature over the whole document (one invisible signature field).

    ``contact`` goes in the signature's ContactInfo: the verification address of the result,
    covered by the signature, so a verifier finds the record even in a re-saved copy.
    """
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        contact_info=contact,
        name=signing_certificate(signer).subject.human_friendly,
        embed_validation_info=False,
    )
    timestamper = None
    if settings.MOTCUA_SIGNING_TSA_URL:
        timestamper = timestamps.HTTPTimeStamper(settings.MOTCUA_SIGNING_TSA_URL)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=timestamper,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME),
    ).sign_pdf(writer, bytes_reserved=None if timestamper else SIGNATURE_BYTES)
    return bytes(out.getbuffer())
