"""The customer's own page about their store credit e-mails, in Oscar's account area
(/accounts/credit-emails/): expiry e-mails on or off (services/notices.py reads the choice)."""
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.views.generic import FormView

from .services.notices import set_expiry_emails, wants_expiry_emails


class CreditEmailsForm(forms.Form):
    expiry_emails = forms.BooleanField(
        required=False, label="E-mail me before my store credit expires, and when it has expired")


class CreditEmailsView(LoginRequiredMixin, FormView):
    template_name = "ledger/customer/credit_emails.html"
    form_class = CreditEmailsForm

    def get_initial(self):
        return {"expiry_emails": wants_expiry_emails(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title="Store credit e-mails", active_tab="credit_emails", **kwargs)

    def form_valid(self, form):
        wanted = form.cleaned_data["expiry_emails"]
        set_expiry_emails(user=self.request.user, wanted=wanted)
        messages.success(self.request, "We will e-mail you about expiring credit." if wanted
                         else "We will no longer e-mail you about expiring credit.")
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("credit-emails")
