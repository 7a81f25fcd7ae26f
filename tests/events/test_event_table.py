"""The README's events table lists every event type the domains declare, and nothing else."""
import re
from pathlib import Path

from headless_store.events.registry import event_types

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_events_table_lists_every_declared_event_type():
    documented = set()
    for line in README.read_text().splitlines():
        if line.startswith("| `") and "|" in line[1:]:
            first_cell = line.split("|")[1]
            names = re.findall(r"`([a-z_]+\.[a-z_]+)`", first_cell)
            documented.update(n for n in names if not n.endswith((".py", ".md")))
    assert documented >= set(event_types())
    assert {n for n in documented if n.split(".")[0] in {t.split(".")[0] for t in event_types()}} == set(event_types())
