"""Text reuse: MinHash candidates, passage alignment, directed reuse between articles."""
