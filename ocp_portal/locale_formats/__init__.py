"""Django's formats for the portal's language, the Swiss way (FORMAT_MODULE_PATH)."""
