"""The API's OpenAPI 3.1 description, kept by hand next to the code it describes (a test
checks that its fields are exactly the fields the validator accepts)."""

from typing import Any

from api.problems import MESSAGES

_ERRORS = {
    "type": "object",
    "required": ["errors"],
    "properties": {"errors": {"type": "array", "items": {
        "type": "object", "required": ["field", "message"],
        "properties": {"field": {"type": "string"},
                       "code": {"type": "string", "enum": sorted(MESSAGES),
                                "description": "A field's problem (absent for request-level "
                                               "errors such as authorization)."},
                       "message": {"type": "string", "description": "The code in English."}}}}},
}

CONTACT_FIELDS: dict[str, dict[str, Any]] = {
    "name": {"type": "string", "maxLength": 100,
             "description": "Full name as written, in any order. Required unless given_name "
                            "or family_name is sent (then it is made of them)."},
    "given_name": {"type": "string", "maxLength": 100,
                   "description": "First (given) name: the only part of the name cards and "
                                  "offers show before a multiplier accepts. Without it the "
                                  "first word of name is shown (the second in \"Surname Given "
                                  "Patronymic\")."},
    "family_name": {"type": "string", "maxLength": 100,
                    "description": "Last (family) name; shown only with the full details."},
    "phone": {"type": "string", "description": "Any common format; normalised to E.164. "
              "Without a country code the team's PHONE_REGION is assumed."},
    "tg_username": {"type": "string", "description": "Telegram username, with or without @."},
    "email": {"type": "string", "maxLength": 100},
    "gender": {"type": "string", "enum": ["m", "f", "u"], "description": "Also male/female."},
    "language": {"type": "string", "maxLength": 16, "description": "ISO 639-1 code, e.g. uk."},
    "area": {"type": "string", "maxLength": 100, "description": "City or district as typed."},
    "notes": {"type": "string", "maxLength": 1000},
    "source": {"type": "string", "maxLength": 100,
               "description": "Campaign or form; stored after \"api:<key name>\"."},
}


def _response(description: str, schema: dict[str, Any] | None = None,
               headers: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description}
    if schema:
        out["content"] = {"application/json": {"schema": schema}}
    if headers:
        out["headers"] = headers
    return out


def document() -> dict[str, Any]:
    created = {"type": "object", "properties": {
        "id": {"type": "integer"}, "status": {"type": "string"}, "source": {"type": "string"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "dispatchbot intake API", "version": "1",
                 "description": "Post a seeker as a contact; it enters dispatch like one "
                                "entered with /new. Field error codes: "
                                + "; ".join(f"{c}: {m}" for c, m in MESSAGES.items())},
        "components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}},
        "security": [{"bearer": []}, {"apiKey": []}],
        "paths": {
            "/api/v1/contacts": {"post": {
                "summary": "Create a contact",
                "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                                "schema": {"type": "string", "maxLength": 200},
                                "description": "Retrying with the same key and body returns "
                                               "the first answer (200) instead of a second contact."}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "additionalProperties": False,
                    "properties": CONTACT_FIELDS,
                    "anyOf": [{"required": ["name"]}, {"required": ["given_name"]},
                              {"required": ["family_name"]}],
                    "description": "A name (name, or its parts) and at least one of phone, "
                                   "tg_username, email."}}}},
                "responses": {
                    "201": _response("Created", created),
                    "200": _response("Replay of an earlier request with this Idempotency-Key",
                                     created, {"Idempotent-Replayed": {"schema": {"type": "string"}}}),
                    "400": _response("Body is not JSON, nested too deeply, or holds a lone "
                                     "surrogate escape", _ERRORS),
                    "401": _response("Missing, unknown or revoked key", _ERRORS),
                    "403": _response("The key's owner may no longer enter contacts", _ERRORS),
                    "409": _response("A request with this Idempotency-Key is in progress", _ERRORS),
                    "413": _response("Body too large", _ERRORS),
                    "415": _response("Content-Type is not application/json", _ERRORS),
                    "422": _response("Field errors, or Idempotency-Key reused with another body",
                                     _ERRORS),
                    "429": _response("Too many requests for this key", _ERRORS,
                                     {"Retry-After": {"schema": {"type": "integer"}}}),
                }}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "security": [],
                                             "responses": {"200": _response("OpenAPI 3.1")}}},
            "/api/v1/health": {"get": {"summary": "Liveness", "security": [],
                                       "responses": {"200": _response("OK")}}},
        },
    }
