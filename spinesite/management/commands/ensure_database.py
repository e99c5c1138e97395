import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql


class Command(BaseCommand):
    help = "Check that PostgreSQL answers and create the site's database if it is missing."

    def handle(self, **options):
        db = settings.DATABASES["default"]
        params = {
            "host": db["HOST"] or None,
            "port": db["PORT"] or None,
            "user": db["USER"] or None,
            "password": db["PASSWORD"] or None,
            "connect_timeout": 5,
        }
        where = f"{db['HOST'] or 'local socket'}:{db['PORT'] or 5432}"
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
                ).fetchone()
                if not exists:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
                    self.stdout.write(f"Created database {db['NAME']}.")
        except psycopg.OperationalError as error:
            raise CommandError(
                f"PostgreSQL is not reachable at {where}: {str(error).strip()}\n"
                "Start it (on Debian: sudo pg_ctlcluster $(ls /etc/postgresql) main start)\n"
                "or point DATABASE_URL at a running server (see .env.example)."
            ) from None
