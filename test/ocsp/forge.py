# An OCSP response with the dates an attacker chooses: producedAt is this process's clock (run it
# under faketime), thisUpdate is given. Python's cryptography (Debian python3-cryptography) writes
# it: openssl ocsp takes both dates from one clock, and a forger need not.
# Usage: forge.py ISSUER.pem RESPONDER.pem RESPONDER.key SUBJECT.pem THIS_UPDATE_ISO OUT.der
import sys
from datetime import datetime, timedelta
from cryptography import x509
from cryptography.x509 import ocsp
from cryptography.hazmat.primitives import hashes, serialization

issuer_pem, responder_pem, responder_key, subject_pem, this_update, out = sys.argv[1:7]
load = lambda p: x509.load_pem_x509_certificate(open(p, 'rb').read())
issuer, responder, subject = load(issuer_pem), load(responder_pem), load(subject_pem)
key = serialization.load_pem_private_key(open(responder_key, 'rb').read(), password=None)
tu = datetime.fromisoformat(this_update.replace('Z', ''))
builder = (
    ocsp.OCSPResponseBuilder()
    .add_response(
        cert=subject,
        issuer=issuer,
        algorithm=hashes.SHA1(),
        cert_status=ocsp.OCSPCertStatus.GOOD,
        this_update=tu,
        next_update=tu + timedelta(days=7),
        revocation_time=None,
        revocation_reason=None,
    )
    .responder_id(ocsp.OCSPResponderEncoding.HASH, responder)
    .certificates([responder])
)
open(out, 'wb').write(builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))
