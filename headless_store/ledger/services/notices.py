"""Telling customers about their credit's clock: `credit.expiring_soon` (ACCOUNTS_EXPIRY_NOTICE_DAYS
before a lot expires) and `credit.expired` (when its money lapses), as outbox events and e-mails.

**Once.** A notice is a `LotNotice` row, written in one transaction with its event; its unique
constraints (lot + expiry date for expiring_soon, lot + lapse transfer for expired) make a second
sweep, or a concurrent one on another worker, write nothing: on PostgreSQL the second insert waits
for the first transaction and then fails on the index, inside a savepoint, and is skipped.

**E-mails** go through Oscar's communication framework (`CommunicationEventType` codes
`CREDIT_EXPIRING_SOON` and `CREDIT_EXPIRED`; templates `oscar/communication/emails/
commtype_credit_expiring_soon_{subject,body}.txt` / `_body.html`, overridable by the shop's templates
or by the event type's fields in Oscar's dashboard), to the account's primary user, recorded in
their Oscar e-mail history. They are sent after the notice commits, one transaction per notice that
first moves it from PENDING to SENT (a conditional UPDATE: one sender wins, on PostgreSQL the other
waits and finds nothing to do) and rolls back if the send fails; failures are retried by the next
sweep up to ACCOUNTS_NOTICE_EMAIL_MAX_ATTEMPTS, then FAILED. A customer who opted out
(`CreditEmailPreference.expiry_emails` off) or an account without an owner with an address gets no
e-mail (OPTED_OUT / NO_ADDRESS); the event is recorded either way. A duplicate e-mail is possible
only if the process dies after the mail server accepted the message and before the commit.
"""
import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from .. import events
from ..conf import settings
from ..models import Account, CreditEmailPreference, Lot, LotEntry, LotNotice
from ..money import quantize

logger = logging.getLogger("headless_store.ledger")

#: Oscar communication event types: (code, name).
EMAIL_TYPES = (
    ("CREDIT_EXPIRING_SOON", "Store credit expiring soon (to its owner)"),
    ("CREDIT_EXPIRED", "Store credit expired (to its owner)"),
)
EMAIL_TYPE_FOR = {LotNotice.Kind.EXPIRING_SOON: "CREDIT_EXPIRING_SOON", LotNotice.Kind.EXPIRED: "CREDIT_EXPIRED"}
BATCH = 500


def ensure_notice_email_types(CommunicationEventType=None):  # noqa: N803 - a migration's historical model
    """Create the e-mail types if missing (idempotent)."""
    CommunicationEventType = CommunicationEventType or get_model("communication", "CommunicationEventType")  # noqa: N806
    for code, name in EMAIL_TYPES:
        CommunicationEventType.objects.get_or_create(code=code, defaults={"name": name, "category": "User related"})


# -- the customer's choice -------------------------------------------------------------------------
def wants_expiry_emails(user) -> bool:
    preference = CreditEmailPreference.objects.filter(user=user).values_list("expiry_emails", flat=True).first()
    return True if preference is None else preference


def set_expiry_emails(*, user, wanted: bool) -> CreditEmailPreference:
    preference, _ = CreditEmailPreference.objects.update_or_create(user=user, defaults={"expiry_emails": bool(wanted)})
    return preference


# -- notices -------------------------------------------------------------------------------------
def _claim(**fields) -> LotNotice | None:
    """The notice, written if no sweep wrote it before (None if one did)."""
    try:
        with transaction.atomic():
            return LotNotice.objects.create(**fields)
    except IntegrityError:
        return None


def announce_expiring_lots(*, at: dt.datetime | None = None) -> int:
    """`credit.expiring_soon` for every lot with money left on an open or frozen account that
    expires within ACCOUNTS_EXPIRY_NOTICE_DAYS of `at` and has not been announced for that expiry;
    how many were announced."""
    days = settings.ACCOUNTS_EXPIRY_NOTICE_DAYS
    if not days:
        return 0
    at = at or timezone.now()
    announced = LotNotice.objects.filter(lot=OuterRef("pk"), kind=LotNotice.Kind.EXPIRING_SOON,
                                         expires_at=OuterRef("expires_at"))
    candidates = (Lot.objects.filter(remaining__gt=0, expires_at__gt=at, expires_at__lte=at + dt.timedelta(days=days),
                                     account__status__in=[Account.Status.OPEN, Account.Status.FROZEN])
                  .exclude(Exists(announced)).order_by("expires_at", "pk").values_list("pk", flat=True))
    count = 0
    for pk in list(candidates):
        with transaction.atomic():
            lot = Lot.objects.select_related("account").get(pk=pk)
            if lot.remaining <= 0 or lot.expires_at is None or lot.expires_at <= at:
                continue
            notice = _claim(lot=lot, kind=LotNotice.Kind.EXPIRING_SOON, expires_at=lot.expires_at,
                            amount=lot.remaining)
            if notice is None:
                continue
            events.credit_expiring_soon(notice)
            count += 1
    return count


def record_lapses(posted, *, expires_at: dt.datetime) -> list[LotNotice]:
    """`credit.expired` for each lot a lapse transfer took from (its LAPSE entries), in the
    transfer's transaction. `expires_at`: the lot's expiry, or the account's end date."""
    notices = []
    entries = LotEntry.objects.filter(transfer=posted, kind=LotEntry.Kind.LAPSE).select_related("lot__account")
    for entry in entries.order_by("id"):
        lot = entry.lot
        notice = _claim(lot=lot, kind=LotNotice.Kind.EXPIRED, transfer=posted, amount=-entry.amount,
                        expires_at=lot.expires_at if lot.expires_at and lot.expires_at <= expires_at else expires_at)
        if notice is not None:
            events.credit_expired(notice)
            notices.append(notice)
    return notices


# -- e-mails -------------------------------------------------------------------------------------
def _context(notice: LotNotice, user) -> dict:
    account = notice.lot.account
    try:
        preferences_path = reverse("credit-emails")
    except NoReverseMatch:  # a project that does not mount the page
        preferences_path = ""
    return {
        "user": user, "notice": notice, "lot": notice.lot, "account": account, "category": notice.lot.get_category_display(),
        "amount": quantize(notice.amount, account.currency), "currency": account.currency,
        "expires_at": notice.expires_at, "preferences_path": preferences_path,
        "shop_name": settings.OSCAR_SHOP_NAME,
    }


def _send(notice: LotNotice, user) -> None:
    dispatcher = get_class("communication.utils", "Dispatcher")()
    messages = dispatcher.get_messages(EMAIL_TYPE_FOR[notice.kind], _context(notice, user))
    dispatcher.dispatch_user_messages(user, messages)


def _recipient(notice: LotNotice):
    user = notice.lot.account.primary_user
    if user is None or not user.is_active or not user.email:
        return None, LotNotice.EmailStatus.NO_ADDRESS
    if not wants_expiry_emails(user):
        return None, LotNotice.EmailStatus.OPTED_OUT
    return user, None


def send_notice_emails() -> dict:
    """E-mail every PENDING notice's owner (see the module docstring); counts by outcome."""
    counts = {"sent": 0, "not_sent": 0, "failed": 0}
    pending = list(LotNotice.objects.filter(email_status=LotNotice.EmailStatus.PENDING)
                   .order_by("id").values_list("pk", flat=True)[:BATCH])
    for pk in pending:
        notice = LotNotice.objects.select_related("lot__account__primary_user", "transfer").get(pk=pk)
        user, skipped = _recipient(notice)
        still_pending = Q(pk=pk, email_status=LotNotice.EmailStatus.PENDING)
        if skipped is not None:
            counts["not_sent"] += LotNotice.objects.filter(still_pending).update(email_status=skipped)
            continue
        try:
            with transaction.atomic():
                if not LotNotice.objects.filter(still_pending).update(
                        email_status=LotNotice.EmailStatus.SENT, emailed_at=timezone.now(),
                        email_attempts=F("email_attempts") + 1):
                    continue  # another sweep sent it
                _send(notice, user)
            counts["sent"] += 1
        except Exception as error:  # noqa: BLE001 - any failure of the mail backend; the claim is undone
            category = type(error).__name__[:200]
            failed = notice.email_attempts + 1 >= settings.ACCOUNTS_NOTICE_EMAIL_MAX_ATTEMPTS
            LotNotice.objects.filter(still_pending).update(
                email_attempts=F("email_attempts") + 1, email_error=category,
                email_status=LotNotice.EmailStatus.FAILED if failed else LotNotice.EmailStatus.PENDING)
            logger.warning("Credit notice #%s: e-mail failed (%s)%s", pk, category, ", given up" if failed else "")
            counts["failed"] += 1
    return counts
