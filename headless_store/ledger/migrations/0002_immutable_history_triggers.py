"""On PostgreSQL, refuse UPDATE and DELETE of legs, and of transfers (except user -> NULL).

The models refuse these too; the triggers also stop raw SQL, other programs and admin mistakes.
Deleting a user sets Transfer.user to NULL (the username snapshot keeps the audit trail), so
that one change is allowed. TRUNCATE is not a row event and stays possible for test teardown.
"""
from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION ledger_refuse_leg_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger legs are immutable: % refused on ledger_transaction', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_transaction_immutable
    BEFORE UPDATE OR DELETE ON ledger_transaction
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_leg_change();

CREATE OR REPLACE FUNCTION ledger_refuse_transfer_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL
       AND (NEW.id, NEW.reference, NEW.source_id, NEW.destination_id, NEW.amount, NEW.currency,
            NEW.parent_id, NEW.merchant_reference, NEW.description, NEW.username,
            NEW.idempotency_key, NEW.date_created)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.reference, OLD.source_id, OLD.destination_id, OLD.amount, OLD.currency,
            OLD.parent_id, OLD.merchant_reference, OLD.description, OLD.username,
            OLD.idempotency_key, OLD.date_created) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'ledger transfers are immutable: % refused on ledger_transfer', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_transfer_immutable
    BEFORE UPDATE OR DELETE ON ledger_transfer
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_transfer_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ledger_transfer_immutable ON ledger_transfer;
DROP FUNCTION IF EXISTS ledger_refuse_transfer_change();
DROP TRIGGER IF EXISTS ledger_transaction_immutable ON ledger_transaction;
DROP FUNCTION IF EXISTS ledger_refuse_leg_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # no params: '%' is PL/pgSQL's
            cursor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
