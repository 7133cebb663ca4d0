"""Bot API method implementations: `METHODS[lowercased name](fake, params) -> result`.

Params arrive already decoded by the server (ints, bools, JSON objects, uploaded files).
Everything except getUpdates is synchronous, so a call changes state atomically even if
the client disconnects mid-request. Errors are raised as `ApiError` with the
descriptions real Telegram uses, because bots often branch on them.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .formatting import EntityParseError, parse_text
from .state import (
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    ApiError,
    CallbackAnswer,
    FakeChat,
    FakeMessage,
    StoredFile,
    UploadedFile,
    bad_request,
    media_object,
)

if TYPE_CHECKING:
    from .telegram import FakeTelegram

Params = dict[str, Any]
Method = Callable[["FakeTelegram", Params], Any | Awaitable[Any]]

METHODS: dict[str, Method] = {}

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_INLINE_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)


def api_method(*names: str) -> Callable[[Method], Method]:
    """Register an implementation under Bot API method names (matched case-insensitively)."""

    def register(func: Method) -> Method:
        for name in names:
            METHODS[name.lower()] = func
        return func

    return register


# ---------------------------------------------------------------------- helpers


def _require(params: Params, name: str) -> Any:
    value = params.get(name)
    if value is None or value == "":
        raise bad_request(f"{name} is empty")
    return value


def _formatted(
    fake: FakeTelegram, text: str, parse_mode: str | None, max_length: int, too_long: str
) -> tuple[str, list[dict[str, Any]]]:
    """Visible text and entities of `text`; the errors Telegram gives for bad input."""
    try:
        plain, entities = parse_text(text, parse_mode)
    except EntityParseError as exc:
        if fake.strict_html:
            raise bad_request(f"can't parse entities: {exc}") from None
        plain, entities = text, []
    if len(plain) > max_length:
        raise bad_request(too_long)
    return plain, entities


def _message_text(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    """text/html/parse_mode/entities fields of a text message."""
    text = params.get("text")
    if not text:
        raise bad_request("message text is empty")
    parse_mode = params.get("parse_mode")
    plain, entities = _formatted(fake, text, parse_mode, MAX_TEXT_LENGTH, "message is too long")
    if not plain.strip():
        raise bad_request("message text is empty")
    return {"text": plain, "html": text, "parse_mode": parse_mode, "entities": entities}


def _caption(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    """text/html/parse_mode/entities fields of a media caption (may be absent)."""
    caption = params.get("caption")
    if not caption:
        return {"text": None, "html": None, "parse_mode": None, "entities": []}
    parse_mode = params.get("parse_mode")
    plain, entities = _formatted(
        fake, caption, parse_mode, MAX_CAPTION_LENGTH, "message caption is too long"
    )
    return {"text": plain, "html": caption, "parse_mode": parse_mode, "entities": entities}


def _reply_markup(params: Params) -> dict[str, Any] | None:
    """The reply_markup, validated like Telegram validates inline keyboards."""
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup and not any(markup["inline_keyboard"]):
        return None  # an empty inline keyboard is no keyboard
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            if not button.get("text"):
                raise bad_request("BUTTON_TEXT_EMPTY")
            if not _INLINE_BUTTON_ACTIONS & button.keys():
                raise bad_request("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def _inline_part(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    return markup if markup and "inline_keyboard" in markup else None


def _edited_markup(message: FakeMessage, new: dict[str, Any] | None) -> dict[str, Any] | None:
    """Edits replace the inline keyboard (absent = removed); a reply keyboard stays."""
    if new is not None or _inline_part(message.reply_markup) is not None:
        return new
    return message.reply_markup


def _reply_to(chat: FakeChat, params: Params) -> FakeMessage | None:
    reply = params.get("reply_parameters") or {}
    message_id = reply.get("message_id") or params.get("reply_to_message_id")
    if not message_id:
        return None
    target = chat.get(int(message_id))
    if target is None or target.deleted:
        if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return target


def _message_to_edit(fake: FakeTelegram, params: Params) -> FakeMessage:
    if params.get("inline_message_id"):
        raise bad_request("message to edit not found")  # inline mode is not emulated
    chat = fake.writable_chat(params.get("chat_id"))
    message = chat.get(int(_require(params, "message_id")))
    if message is None or message.deleted:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return message


def _source_message(fake: FakeTelegram, params: Params, action: str) -> FakeMessage:
    chat = fake.resolve_chat(params.get("from_chat_id"))
    message = chat.get(int(_require(params, "message_id")))
    if message is None or message.deleted:
        raise bad_request(f"message to {action} not found")
    return message


def _input_file(fake: FakeTelegram, value: Any, kind: str) -> StoredFile:
    """The file to send: a fresh upload, or a file_id the fake already knows."""
    if isinstance(value, UploadedFile):
        mime_type = mimetypes.guess_type(value.filename or "")[0] or value.content_type
        return fake.store_file(value.data, kind, value.filename, mime_type)
    if not value:
        raise bad_request(f"there is no {kind} in the request")
    if isinstance(value, str) and value in fake.files:
        return fake.files[value]
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")  # the fake has no network
    raise bad_request("wrong file identifier/HTTP URL specified")


def _chat_member(fake: FakeTelegram, chat: FakeChat, user_id: int) -> dict[str, Any]:
    user = fake.user_api(user_id)
    status = fake.member_status(chat.id, user_id)
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "kicked":
        member["until_date"] = 0
    elif status == "administrator":
        member.update(
            can_be_edited=False,
            is_anonymous=False,
            can_manage_chat=True,
            can_delete_messages=True,
            can_manage_video_chats=True,
            can_restrict_members=True,
            can_promote_members=False,
            can_change_info=True,
            can_invite_users=True,
            can_post_stories=False,
            can_edit_stories=False,
            can_delete_stories=False,
            can_send_welcome_messages=False,
            can_pin_messages=True,
        )
    return member


# ---------------------------------------------------------------------- bot & updates


@api_method("getMe")
def get_me(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    return {
        **fake.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


@api_method("getUpdates")
async def get_updates(fake: FakeTelegram, params: Params) -> list[dict[str, Any]]:
    if fake.webhook.get("url"):
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    if "allowed_updates" in params:
        fake.allowed_updates = params["allowed_updates"]  # stored; updates are not filtered
    fake.updates.confirm(params.get("offset"))
    limit = min(max(int(params.get("limit") or 100), 1), 100)
    return await fake.updates.fetch(limit, float(params.get("timeout") or 0))


@api_method("setWebhook")
def set_webhook(fake: FakeTelegram, params: Params) -> bool:
    fake.webhook = {k: v for k, v in params.items() if not isinstance(v, UploadedFile)}
    return True


@api_method("deleteWebhook")
def delete_webhook(fake: FakeTelegram, params: Params) -> bool:
    fake.webhook = {}
    if params.get("drop_pending_updates"):
        fake.updates.drop_all()
    return True


@api_method("getWebhookInfo")
def get_webhook_info(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    return {
        "url": fake.webhook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(fake.updates.pending),
    }


@api_method("close", "logOut")
def close(fake: FakeTelegram, params: Params) -> bool:
    return True


def _store_setting(name: str) -> Method:
    def store(fake: FakeTelegram, params: Params) -> bool:
        fake.settings[name] = params
        return True

    return store


# Bot profile settings: remembered in fake.settings for assertions only.
for _name in (
    "setMyName",
    "setMyDescription",
    "setMyShortDescription",
    "setChatMenuButton",
    "setMyDefaultAdministratorRights",
):
    api_method(_name)(_store_setting(_name))


def _commands_key(params: Params) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    scope_key = ":".join(str(scope[k]) for k in sorted(scope))
    return scope_key, params.get("language_code") or ""


@api_method("setMyCommands")
def set_my_commands(fake: FakeTelegram, params: Params) -> bool:
    commands = params.get("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not command.get("command") or not command.get("description"):
            raise bad_request("BOT_COMMAND_INVALID")
    fake.commands[_commands_key(params)] = commands
    return True


@api_method("getMyCommands")
def get_my_commands(fake: FakeTelegram, params: Params) -> list[dict[str, Any]]:
    return fake.commands.get(_commands_key(params), [])


@api_method("deleteMyCommands")
def delete_my_commands(fake: FakeTelegram, params: Params) -> bool:
    fake.commands.pop(_commands_key(params), None)
    return True


# ---------------------------------------------------------------------- messages


@api_method("sendMessage")
def send_message(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    chat = fake.writable_chat(params.get("chat_id"))
    text_fields = _message_text(fake, params)
    message = fake.add_message(
        chat,
        sender=fake.bot_user,
        from_bot=True,
        reply_markup=_reply_markup(params),
        reply_to=_reply_to(chat, params),
        **text_fields,
    )
    return message.to_api()


def _send_media(fake: FakeTelegram, params: Params, kind: str) -> dict[str, Any]:
    chat = fake.writable_chat(params.get("chat_id"))
    caption_fields = _caption(fake, params)
    markup = _reply_markup(params)
    reply_to = _reply_to(chat, params)
    stored = _input_file(fake, params.get(kind), kind)
    message = fake.add_message(
        chat,
        sender=fake.bot_user,
        from_bot=True,
        kind=kind,
        media=media_object(kind, stored, int(params.get("duration") or 1)),
        file_bytes=stored.data,
        reply_markup=markup,
        reply_to=reply_to,
        **caption_fields,
    )
    return message.to_api()


@api_method("sendDocument")
def send_document(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    return _send_media(fake, params, "document")


@api_method("sendPhoto")
def send_photo(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    return _send_media(fake, params, "photo")


@api_method("sendVoice")
def send_voice(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    return _send_media(fake, params, "voice")


@api_method("editMessageText")
def edit_message_text(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    message = _message_to_edit(fake, params)
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    text_fields = _message_text(fake, params)
    markup = _edited_markup(message, _reply_markup(params))
    unchanged = (
        text_fields["text"] == message.text
        and text_fields["entities"] == message.entities
        and markup == message.reply_markup
    )
    if unchanged:
        raise bad_request(NOT_MODIFIED)
    fake.edit_message(message, reply_markup=markup, **text_fields)
    return message.to_api()


@api_method("editMessageCaption")
def edit_message_caption(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    message = _message_to_edit(fake, params)
    if message.kind == "text":
        raise bad_request("there is no caption in the message to edit")
    caption_fields = _caption(fake, params)
    markup = _edited_markup(message, _reply_markup(params))
    unchanged = (
        caption_fields["text"] == message.text
        and caption_fields["entities"] == message.entities
        and markup == message.reply_markup
    )
    if unchanged:
        raise bad_request(NOT_MODIFIED)
    fake.edit_message(message, reply_markup=markup, **caption_fields)
    return message.to_api()


@api_method("editMessageReplyMarkup")
def edit_message_reply_markup(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    message = _message_to_edit(fake, params)
    markup = _edited_markup(message, _reply_markup(params))
    if markup == message.reply_markup:
        raise bad_request(NOT_MODIFIED)
    fake.edit_message(message, reply_markup=markup)
    return message.to_api()


@api_method("deleteMessage")
def delete_message(fake: FakeTelegram, params: Params) -> bool:
    chat = fake.resolve_chat(params.get("chat_id"))
    message = chat.get(int(_require(params, "message_id")))
    if message is None or message.deleted:
        raise bad_request("message to delete not found")
    fake.delete_message(message)
    return True


@api_method("deleteMessages")
def delete_messages(fake: FakeTelegram, params: Params) -> bool:
    chat = fake.resolve_chat(params.get("chat_id"))
    message_ids = params.get("message_ids")
    if not isinstance(message_ids, list) or not message_ids:
        raise bad_request("message_ids is empty")
    for message_id in message_ids:
        message = chat.get(int(message_id))
        if message is not None and not message.deleted:
            fake.delete_message(message)
    return True


@api_method("copyMessage")
def copy_message(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    target = fake.writable_chat(params.get("chat_id"))
    source = _source_message(fake, params, "copy")
    if source.kind != "text" and "caption" in params:
        body = _caption(fake, params)
    else:
        body = {
            "text": source.text,
            "html": source.html,
            "parse_mode": source.parse_mode,
            "entities": list(source.entities),
        }
    copy = fake.add_message(
        target,
        sender=fake.bot_user,
        from_bot=True,
        kind=source.kind,
        media=source.media,
        file_bytes=source.file_bytes,
        reply_markup=_reply_markup(params),
        **body,
    )
    return {"message_id": copy.message_id}


@api_method("forwardMessage")
def forward_message(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    target = fake.writable_chat(params.get("chat_id"))
    source = _source_message(fake, params, "forward")
    origin = source.forward_origin or {
        "type": "user",
        "sender_user": source.sender,
        "date": source.date,
    }
    forwarded = fake.add_message(
        target,
        sender=fake.bot_user,
        from_bot=True,
        text=source.text,
        html=source.html,
        parse_mode=source.parse_mode,
        entities=list(source.entities),
        kind=source.kind,
        media=source.media,
        file_bytes=source.file_bytes,
        forward_origin=origin,
    )
    return forwarded.to_api()


@api_method("answerCallbackQuery")
def answer_callback_query(fake: FakeTelegram, params: Params) -> bool:
    answer = CallbackAnswer(
        text=params.get("text") or None,
        show_alert=bool(params.get("show_alert")),
        url=params.get("url"),
        cache_time=params.get("cache_time"),
    )
    fake.answer_callback_query(str(_require(params, "callback_query_id")), answer)
    return True


@api_method("sendChatAction")
def send_chat_action(fake: FakeTelegram, params: Params) -> bool:
    fake.writable_chat(params.get("chat_id"))
    _require(params, "action")
    return True


@api_method("pinChatMessage")
def pin_chat_message(fake: FakeTelegram, params: Params) -> bool:
    chat = fake.resolve_chat(params.get("chat_id"))
    message = chat.get(int(_require(params, "message_id")))
    if message is None or message.deleted:
        raise bad_request("message to pin not found")
    chat.pinned_message_id = message.message_id
    return True


@api_method("unpinChatMessage")
def unpin_chat_message(fake: FakeTelegram, params: Params) -> bool:
    fake.resolve_chat(params.get("chat_id")).pinned_message_id = None
    return True


# ---------------------------------------------------------------------- chats & files


@api_method("getChat")
def get_chat(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    chat = fake.resolve_chat(params.get("chat_id"))
    info = {
        **chat.to_api(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }
    pinned = chat.get(chat.pinned_message_id) if chat.pinned_message_id else None
    if pinned is not None:
        info["pinned_message"] = pinned.to_api()
    return info


@api_method("getChatMember")
def get_chat_member(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    chat = fake.resolve_chat(params.get("chat_id"))
    return _chat_member(fake, chat, int(_require(params, "user_id")))


@api_method("getFile")
def get_file(fake: FakeTelegram, params: Params) -> dict[str, Any]:
    stored = fake.files.get(str(_require(params, "file_id")))
    if stored is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
        "file_path": stored.file_path,
    }
