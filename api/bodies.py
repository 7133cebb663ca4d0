"""Reading a request body without trusting its Content-Length."""

from aiohttp import web


async def read_limited(request: web.Request, limit: int) -> bytes | None:
    """The body, or None if larger than `limit` (whatever Content-Length claims)."""
    if request.content_length is not None and request.content_length > limit:
        return None
    data = bytearray()
    while len(data) <= limit:  # read() returns what has arrived so far, not the whole body
        chunk = await request.content.read(limit + 1 - len(data))
        if not chunk:
            break
        data += chunk
    return None if len(data) > limit else bytes(data)
