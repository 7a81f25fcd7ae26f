"""A processor shaped like a real one, for tests: it takes tokens made by its payment form
(`tok_visa`, `tok_declined`), never card numbers, and is not a sandbox. Its charges are the
sandbox's rows, so the checkout's bookkeeping is the real one."""
from headless_store.checkout.gateways import sandbox

TOKENS = {"tok_visa": sandbox.APPROVED, "tok_declined": sandbox.DECLINED}


class TokenOnlyGateway(sandbox.SandboxGateway):
    source_name = "Card"
    accepts_card_numbers = False
    is_sandbox = False

    def authorise(self, *, token: str, **kwargs):
        return super().authorise(token=TOKENS.get(token, "0"), **kwargs)
