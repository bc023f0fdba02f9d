"""mediaprov: trace where news narratives come from and how they travel between outlets."""

__version__ = "0.1.0"
