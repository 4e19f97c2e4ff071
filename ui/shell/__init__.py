"""The desk's shell: start-up, the main window, log-in and the session, the idle lock."""
