"""The built-in demo: a realistic case with synthetic photos (drawings, never a photo of a person)."""
