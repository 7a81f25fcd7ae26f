"""Gift-card codes: generated with `secrets`, normalised on entry, stored only as a keyed hash.

A code is 16 characters from a 32-letter alphabet without look-alikes (no 0/O, 1/I/L), i.e.
80 bits, shown in groups of four: `K7QM-WX3D-9PRT-HC2N`. The database keeps HMAC-SHA256 of the
normalised code under ACCOUNTS_CODE_HASH_KEY plus its last four characters, so a database leak
does not leak spendable codes.
"""
import hashlib
import hmac
import secrets

from . import conf
from .conf import settings

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0 O 1 I L
GROUP = 4


def generate(length: int | None = None, alphabet: str = ALPHABET) -> str:
    """A new random code (normalised form, no separators)."""
    length = length or settings.ACCOUNTS_CODE_LENGTH
    return "".join(secrets.choice(alphabet) for _ in range(length))


def normalise(code: str) -> str:
    """What the shopper typed, as stored: upper case, without spaces or dashes."""
    if not isinstance(code, str):
        return ""
    return "".join(ch for ch in code.upper() if ch not in " -\t\r\n")


def display(code: str) -> str:
    """A code in groups of four for printing: K7QM-WX3D-9PRT-HC2N."""
    code = normalise(code)
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def code_hash(code: str) -> str:
    """The keyed hash stored for a code (hex)."""
    key = conf.code_hash_key().encode()
    return hmac.new(key, normalise(code).encode(), hashlib.sha256).hexdigest()


def last4(code: str) -> str:
    return normalise(code)[-4:]


def mask(last_four: str) -> str:
    """How a stored code is shown after issue: only its last four characters."""
    return f"••••{last_four}" if last_four else ""
