"""Reporters: findings → output (one module per format)."""
