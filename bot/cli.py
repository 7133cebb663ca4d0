"""`dispatchbot run | db upgrade | db downgrade REV | import FILE --as ID | simulate`. Failures: one clear
line, non-zero exit."""

import argparse
import asyncio
import sys

from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError
from aiogram.utils.token import TokenValidationError
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from bot.config import EXAMPLE_BOT_TOKEN, Settings
from bot.logs import setup_logging


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "simulate":
        return _simulate(args)
    try:
        settings = Settings()
    except ValidationError as exc:
        return _fail("configuration: " + "; ".join(_describe(e) for e in exc.errors()))
    setup_logging(settings.log_level, settings.log_format)
    from storage.migrate import downgrade, upgrade

    try:
        if args.command == "db" and args.action == "downgrade":
            downgrade(settings.database_url, args.revision)
        else:
            upgrade(settings.database_url)
    except (SQLAlchemyError, OSError) as exc:
        return _fail(f"database {settings.database_url!r}: {str(exc).splitlines()[0]}")
    if args.command == "db":
        return 0
    if args.command == "import":
        from bot.importer import import_file

        return import_file(settings, args.file, args.actor)
    return _serve(settings)


def _serve(settings: Settings) -> int:
    from bot.app import run

    if settings.bot_token.get_secret_value() == EXAMPLE_BOT_TOKEN:
        return _fail("BOT_TOKEN is still the example value: put your token from @BotFather in .env")

    try:
        asyncio.run(run(settings))
    except TokenValidationError:
        return _fail("BOT_TOKEN does not look like a bot token (digits:letters, from @BotFather)")
    except TelegramUnauthorizedError:
        return _fail("Telegram rejected the bot token (BOT_TOKEN)")
    except TelegramNetworkError as exc:
        return _fail(f"cannot reach the Bot API at {settings.bot_api_base_url}: {exc.message}")
    except SQLAlchemyError as exc:
        return _fail(f"database {settings.database_url!r}: {str(exc).splitlines()[0]}")
    except OSError as exc:
        where = (f"{settings.webhook_host}:{settings.webhook_port}" if settings.mode == "webhook"
                 else f"{settings.api_host}:{settings.api_port}")
        return _fail(f"cannot listen on {where}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        pass
    return 0


def _simulate(args: argparse.Namespace) -> int:
    """A month of a team on a virtual clock (simulation/): needs no .env, no Telegram."""
    import logging
    from pathlib import Path

    from bot.app import build_i18n
    from simulation.runner import run
    from simulation.world import Assembly

    logging.disable(logging.WARNING)  # the table is the output; the bot's own log is noise here

    def settings(**overrides: object) -> Settings:
        return Settings(_env_file=None, bot_token=EXAMPLE_BOT_TOKEN, log_format="text",
                        **overrides)  # type: ignore[arg-type]

    try:
        print(run(Assembly(settings, build_i18n), args.days, args.seed, args.compare,
                  Path(args.chart) if args.chart else None, not args.no_realtime, args.seekers,
                  args.explain))
    except ValueError as exc:
        return _fail(str(exc))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dispatchbot")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="apply migrations, then serve (polling or webhook)")
    db = commands.add_parser("db", help="database migrations")
    actions = db.add_subparsers(dest="action", required=True)
    actions.add_parser("upgrade", help="apply all migrations")
    down = actions.add_parser("downgrade", help="roll back to a revision")
    down.add_argument("revision")
    imp = commands.add_parser("import", help="import contacts from a CSV file")
    imp.add_argument("file")
    imp.add_argument("--as", dest="actor", type=int, required=True,
                     help="the admin importing: Telegram user id or member id")
    sim = commands.add_parser("simulate", help="a month of a team on a virtual clock: the table")
    sim.add_argument("--days", type=int, default=30)
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--seekers", type=int, default=500, help="seekers in 30 days (scaled to --days)")
    sim.add_argument("--compare", action="append", default=[], metavar="KNOB=A,B",
                     help="auto_dispatch=on,off | fairness=0,1,3 | offer_ttl=12,24 | nag_interval=12,24")
    sim.add_argument("--chart", default="simulation.png", help="the PNG to write ('' for none)")
    sim.add_argument("--no-realtime", action="store_true",
                     help="skip the real-time twin run (messages per dispatcher in real-time mode)")
    sim.add_argument("--explain", action="store_true",
                     help="list the seekers who fell through the cracks: status changes, alarms")
    return parser


def _describe(error: dict) -> str:
    field = ".".join(str(p) for p in error.get("loc", ())).upper() or "settings"
    return f"{field}: {error.get('msg', 'invalid')}"


def _fail(message: str) -> int:
    print(f"dispatchbot: error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
