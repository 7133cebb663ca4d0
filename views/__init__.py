"""What the bot shows: texts, labels, keyboards, callback data, charts and CSV files.

Used alike by routers (handlers/), jobs and the outbox sender (scheduler/) and the HTTP API
(bot/api/); it reads services' results and never changes state."""
