"""The SPA Desk desktop: PySide6 windows, dialogs and item models, run on a qasync event loop."""
