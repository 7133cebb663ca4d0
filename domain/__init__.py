"""The dispatch rules: plain Python, no Telegram and no SQL, so they read and test on their own."""
