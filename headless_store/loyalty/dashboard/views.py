"""The loyalty app's dashboard page: the rule staff edit (Accounts > Loyalty rule). It performs an
operation of the permission table (headless_store/ledger/permissions.py)."""
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView

from headless_store.loyalty.models import LoyaltyRule


class LoyaltyRuleForm(forms.ModelForm):
    class Meta:
        model = LoyaltyRule
        fields = ["is_active", "rate", "spendable", "days", "account_type_code"]


class LoyaltyRuleView(FormView):
    template_name = "loyalty/dashboard/loyalty_rule.html"
    form_class = LoyaltyRuleForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": LoyaltyRule.current()}

    def form_valid(self, form):
        rule = form.save(commit=False)
        rule.updated_by = self.request.user
        rule.save()
        messages.success(self.request, f"Loyalty rule saved: {rule}.")
        return redirect("loyalty_dashboard:loyalty-rule")
