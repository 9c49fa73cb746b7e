"""followup-watcher: make sure no follow-up falls through the cracks."""

__version__ = "0.1.0"
