"""The HTTP intake API: other systems (a web form, a CRM) post contacts with a key."""
