"""Test anchors for qualified electronic signatures: a root CA and a signer's certificate made with
`cryptography`, and a PDF signed with them by pyHanko, as a creditor's signing tool would."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ocp_portal import seal


@dataclass(frozen=True)
class TestPki:
    anchor_path: Path
    signer_key: ec.EllipticCurvePrivateKey
    signer_cert: x509.Certificate
    root_cert: x509.Certificate
    tsa_key: rsa.RSAPrivateKey
    tsa_cert: x509.Certificate


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test QES SA"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_pki(
    directory: Path,
    *,
    root_name="Test Qualified Root CA",
    signer_name="Paul Favre",
    signer_minutes: int | None = None,
    policy: str = "2.16.756.5.99.1",
) -> TestPki:
    """A root CA, a signer's certificate (valid for years, or like an on-demand qualified
    certificate for `signer_minutes` only) and a time-stamping authority, all issued by the root."""
    now = datetime.now(UTC)
    begin, end = now - timedelta(days=3 * 365), now + timedelta(days=5 * 365)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder()
        .subject_name(_name(root_name))
        .issuer_name(_name(root_name))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(begin)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_begin, signer_end = (
        (now - timedelta(minutes=1), now + timedelta(minutes=signer_minutes)) if signer_minutes else (begin, end)
    )
    signer = (
        x509.CertificateBuilder()
        .subject_name(_name(signer_name))
        .issuer_name(root.subject)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(signer_begin)
        .not_valid_after(signer_end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .add_extension(x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(policy), None)]), False)
        .sign(root_key, hashes.SHA256())
    )
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test TSA: RSA only
    tsa = (
        x509.CertificateBuilder()
        .subject_name(_name("Test Time-Stamping Authority"))
        .issuer_name(root.subject)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(begin)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    anchor = directory / "test-qes-root.pem"
    anchor.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return TestPki(anchor, signer_key, signer, root, tsa_key, tsa)


def _asn1_cert(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _asn1_key(key) -> asn1_keys.PrivateKeyInfo:
    return asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def sign_pdf(pdf: bytes, pki: TestPki, *, timestamp: bool = False) -> bytes:
    """`pdf` signed in an incremental revision, as a qualified signing service returns it; with
    `timestamp`, with a signature time-stamp of the test TSA (PAdES-B-T)."""
    key = _asn1_key(pki.signer_key)
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(pki.signer_cert),
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(pki.root_cert)]),
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    output = BytesIO()
    timestamper = (
        DummyTimeStamper(
            tsa_cert=_asn1_cert(pki.tsa_cert),
            tsa_key=_asn1_key(pki.tsa_key),
            certs_to_embed=SimpleCertificateStore.from_certs([_asn1_cert(pki.root_cert)]),
        )
        if timestamp
        else None
    )
    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name="Signature1"), signer=signer, timestamper=timestamper
    )
    seal.run(pdf_signer.async_sign_pdf(writer, output=output))  # also under Playwright's running loop
    return output.getvalue()
