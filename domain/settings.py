"""Keys of the team settings changed at run time from Telegram (stored by storage.settings)."""

TEAM_CHAT = "team_chat_id"
#: The team chat's language, set by an admin with /language in the group (domain.locales).
TEAM_LANGUAGE = "team_language"
DIGEST_TIMES = "digest_times"
MATCH_POLICY = "match_policy"
#: "<keys version>:<last contact id re-keyed>" or "<keys version>:done" (services.duplicates.rekey)
DUPLICATE_KEYS = "duplicate_keys"
