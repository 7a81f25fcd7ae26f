"""OA's `Allocations`: how much the customer chose to pay from each account code, kept in the
session between checkout steps (serialise / deserialise as JSON, amounts as strings)."""
import json
from decimal import Decimal


class Allocations:
    def __init__(self, initial_data=None):
        self._allocations = dict(initial_data or {})

    def add(self, code, amount):
        self._allocations[code] = self._allocations.get(code, Decimal("0.00")) + amount

    def remove(self, code):
        self._allocations.pop(code, None)

    def contains(self, code) -> bool:
        return code in self._allocations

    @property
    def total(self) -> Decimal:
        return sum(self._allocations.values(), Decimal("0.00"))

    def __len__(self):
        return len(self._allocations)

    def items(self):
        return self._allocations.items()

    @classmethod
    def serialize(cls, obj) -> str:
        return json.dumps({code: str(amount) for code, amount in obj.items()}, sort_keys=True)

    @classmethod
    def deserialize(cls, json_data):
        return cls({code: Decimal(amount) for code, amount in json.loads(json_data).items()})
