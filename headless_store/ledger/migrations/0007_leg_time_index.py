"""Balances at any moment: an index on (account, date_created, id) that carries balance_after, and
on PostgreSQL a function reading it, whose plan the server keeps per connection (a plain
statement is planned on every call, which costs more than reading the one index entry)."""
from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_balance_at(account bigint, moment timestamptz) RETURNS numeric AS $$
BEGIN
    RETURN COALESCE((SELECT balance_after FROM ledger_transaction
                     WHERE account_id = account AND date_created <= moment
                     ORDER BY date_created DESC, id DESC LIMIT 1), 0);
END;
$$ LANGUAGE plpgsql STABLE;
"""


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_balance_at(bigint, timestamptz)")


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0006_credit_lots'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='transaction',
            index=models.Index(fields=['account', 'date_created', 'id'], include=('balance_after',), name='ledger_leg_account_time_idx'),
        ),
        migrations.RunPython(create_function, drop_function),
    ]
