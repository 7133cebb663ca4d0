"""A direct answer takes a turn in the overall flood line (first in it), then its chat's, and
says when it came back; the outbox's own calls took theirs already, and edits or button
answers are not messages Telegram counts."""

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from scheduler.direct_answers import IN_OUTBOX, DirectAnswers


class Line:
    def __init__(self) -> None:
        self.turns: list[float] = []

    async def acquire(self, priority: float = 0) -> None:
        self.turns.append(priority)


class Limits:
    def __init__(self) -> None:
        self.overall = Line()
        self.answered_in: list[int] = []
        self.came_back: list[int] = []

    async def answer_turn(self, chat_id: int) -> None:
        # the chat's turn first (it may wait), the overall one right before the send
        assert len(self.overall.turns) == len(self.answered_in)
        self.answered_in.append(chat_id)

    async def sent(self, chat_id: int) -> None:
        assert len(self.came_back) + 1 == len(self.answered_in)
        self.came_back.append(chat_id)


async def make_request(bot, method):  # type: ignore[no-untyped-def]
    return "done"


async def test_only_new_messages_outside_the_outbox_take_a_turn() -> None:
    limits = Limits()
    middleware = DirectAnswers(limits)  # type: ignore[arg-type]
    for method in (SendMessage(chat_id=1, text="hi"), EditMessageText(text="x", chat_id=1, message_id=2),
                   AnswerCallbackQuery(callback_query_id="7")):
        assert await middleware(make_request, None, method) == "done"  # type: ignore[arg-type]
    token = IN_OUTBOX.set(True)
    try:
        await middleware(make_request, None, SendMessage(chat_id=1, text="queued"))  # type: ignore[arg-type]
    finally:
        IN_OUTBOX.reset(token)
    assert limits.overall.turns == [float("-inf")]
    assert limits.answered_in == [1]  # its chat's turn: a queued message keeps spacing
    assert limits.came_back == [1]  # the next send to the chat is spaced from its answer


async def test_a_button_answered_before_does_not_stop_the_handler() -> None:
    """A press delivered again (its replica died after answering it): Telegram refuses the
    second answer; the handler goes on to send what the person still waits for."""
    from aiogram.exceptions import TelegramBadRequest

    async def refused(bot, method):  # type: ignore[no-untyped-def]
        raise TelegramBadRequest(method=method, message="Bad Request: query is too old and "
                                 "response timeout expired or query ID is invalid")

    middleware = DirectAnswers(Limits())  # type: ignore[arg-type]
    assert await middleware(refused, None, AnswerCallbackQuery(callback_query_id="7")) is True  # type: ignore[arg-type]
    try:
        await middleware(refused, None, SendMessage(chat_id=1, text="hi"))  # type: ignore[arg-type]
    except TelegramBadRequest:
        pass
    else:
        raise AssertionError("a refused message is the handler's to handle")
