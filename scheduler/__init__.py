"""The bot's own initiative: the outbox sender and the timed jobs (APScheduler)."""
