"""The Textual app: `dockerlab` with no arguments. Entry point: `dockerlab.tui.app.run_app`."""
