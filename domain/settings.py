"""Keys of the team settings changed at run time from Telegram (stored by storage.settings)."""

TEAM_CHAT = "team_chat_id"
DIGEST_TIMES = "digest_times"
MATCH_POLICY = "match_policy"
#: "<keys version>:<last contact id re-keyed>" or "<keys version>:done" (services.duplicates.rekey)
DUPLICATE_KEYS = "duplicate_keys"
