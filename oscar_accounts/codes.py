"""OA's `codes.generate(size=12, chars=None)`: a new code no account has, drawn with `secrets`
(OA used `random`). Codes are stored as keyed hashes (headless_store.ledger.codes)."""
from headless_store.ledger import codes as _codes
from headless_store.ledger.models import Account

DEFAULT_SIZE = 12
normalise = _codes.normalise  # what a shopper typed, as stored: upper case, no spaces or dashes


def generate(size=DEFAULT_SIZE, chars=None):
    """`size` characters from `chars` (default: the ledger's alphabet, upper-case letters and digits
    without look-alikes), unused by any account."""
    while True:
        code = _codes.generate(size or DEFAULT_SIZE, chars or _codes.ALPHABET)
        if not Account.objects.filter(code_hash=_codes.code_hash(code)).exists():
            return code
