"""Import a django-oscar-accounts 3.0.1 ledger (see headless_store/ledger/services/oa_import.py)."""
import environ
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import load_backend

from headless_store.ledger.services.oa_import import UnmatchedOwners, import_oa, read_oa

ALIAS = "oscar_accounts_import"


class Command(BaseCommand):
    help = ("Bring a django-oscar-accounts ledger across: account types, accounts, transfers and legs, balances "
            "recomputed from the legs. All or nothing; a second run adds only what is new; ends with ledger_reconcile.")

    def add_arguments(self, parser):
        parser.add_argument("--database-url", help="OA's database, if not this one: its users are matched to ours by "
                                                   "username, then email; ranges are not linked.")
        parser.add_argument("--user-table", default="auth_user", help="With --database-url: OA's users table "
                                                                      "(default auth_user).")
        parser.add_argument("--allow-unowned", action="store_true",
                            help="With --database-url: import accounts whose owner has no user here, unowned.")
        parser.add_argument("--dry-run", action="store_true", help="Report everything, write nothing.")

    def handle(self, *args, database_url=None, user_table="auth_user", allow_unowned=False, dry_run=False, **options):
        source = connection
        if database_url:  # a connection of its own, read and closed here
            config = {**connection.settings_dict, **environ.Env.db_url_config(database_url)}
            source = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias=ALIAS)
        try:
            data = read_oa(source, user_table=user_table if database_url else get_user_model()._meta.db_table)
        except Exception as error:  # noqa: BLE001 - no OA tables there: say so plainly
            raise CommandError(f"Could not read django-oscar-accounts' tables: {error}") from error
        finally:
            if source is not connection:
                source.close()
        self.stdout.write(f"Read {len(data['types'])} account types, {len(data['accounts'])} accounts, "
                          f"{len(data['transfers'])} transfers, {len(data['legs'])} legs.")
        try:
            report = import_oa(data, dry_run=dry_run, same_database=database_url is None, allow_unowned=allow_unowned,
                               progress=lambda message: self.stdout.write(f"  ... {message}"))
        except UnmatchedOwners as error:
            for owner in error.unmatched:
                self.stderr.write(f"No user here for {owner}")
            raise CommandError(f"Refused: {len(error.unmatched)} account owner(s) have no user here (matched by "
                               "username, then email). Create them, or pass --allow-unowned to import their "
                               "accounts without an owner. Nothing was imported.") from error
        for owner in report.unmatched_owners:
            self.stderr.write(f"No user here for {owner}" + ("; imported unowned." if allow_unowned else ""))
        if dry_run and report.unmatched_owners and not allow_unowned:
            self.stderr.write(f"The import would be refused: {len(report.unmatched_owners)} account owner(s) have no "
                              "user here; create them or pass --allow-unowned.")
        for problem in report.problems:
            self.stderr.write(f"Check: {problem}")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb} {report.types} account types, {report.accounts} accounts, "
                          f"{report.transfers} transfers and {report.legs} legs; {len(report.problems)} to check.")
        if not dry_run:
            call_command("ledger_reconcile", stdout=self.stdout, stderr=self.stderr)
