"""Reading a gift card's e-mail and redeeming its code as its recipient."""
import re

from django.test import Client

from tests.graphql.conftest import Api

CODE = re.compile(r"\b([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})\b")

REDEEM = """
mutation Redeem($input: RedeemGiftCardInput!) {
  redeemGiftCard(input: $input) { amount { amount } errors { field code message } }
}"""


def code_in(message) -> str:
    found = CODE.search(message.body)
    assert found, message.body
    return found.group(1)


def redeem(user, code):
    client = Client()
    client.force_login(user)
    return Api(client).data(REDEEM, {"input": {"code": code}})["redeemGiftCard"]
