"""Application assembly: configuration, entry point, middlewares."""
