"""Offline training scripts for the triage classifier (not shipped in the Lambda)."""
