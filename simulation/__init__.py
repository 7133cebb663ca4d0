"""A month of a team on a virtual clock (`dispatchbot simulate`): the real use cases, jobs
and outbox sender against an in-process Bot API, with scripted people."""
