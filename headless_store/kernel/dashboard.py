"""How a dashboard page shows a refusal, in one place: as an error on the form field it names
(or on the whole form), or, for a page without a form, as an error message.

    with refusals_shown(request, form) as refused:
        account = services.open_account(...)
    if refused:
        return self.form_invalid(form)
"""
from contextlib import contextmanager

from django.contrib import messages

from .refusals import Refusal


class Outcome:
    """What `refusals_shown` caught: true when the operation was refused."""

    refusal: Refusal | None = None

    def __bool__(self) -> bool:
        return self.refusal is not None


def form_field(form, refusal: Refusal, default=None) -> str | None:
    """The form field a refusal belongs to: `default(refusal)` when `default` is a function (a
    form whose fields are not the operation's arguments); else the first part of the refusal's
    input path when the form shows a field of that name; else `default`, else the whole form."""
    if callable(default):
        return default(refusal)
    head = (getattr(refusal, "field", None) or "").split(".")[0]
    if head in form.fields and not form.fields[head].widget.is_hidden:  # a hidden field's error is not seen
        return head
    return default


def show_refusal(request, refusal: Refusal, form=None, *, field=None) -> None:
    if form is not None:
        for problem in refusal.problems:
            form.add_error(form_field(form, problem, field), str(problem))
    else:
        messages.error(request, str(refusal))


@contextmanager
def refusals_shown(request, form=None, *, field=None):
    """Run the block; a Refusal raised inside is shown on `form` (else as a message) and the
    returned Outcome is true. Anything that is not a refusal propagates."""
    outcome = Outcome()
    try:
        yield outcome
    except Refusal as refusal:
        outcome.refusal = refusal
        show_refusal(request, refusal, form, field=field)
