"""Custom NLU components for the navigator's pipeline."""
