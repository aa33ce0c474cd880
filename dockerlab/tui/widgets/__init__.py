"""Widgets of the app; each shows state handed to it and posts messages up."""
