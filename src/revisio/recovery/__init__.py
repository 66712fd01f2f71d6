"""The adapter between the case record (Django models) and the pure engine and knowledge base.

The only place that turns stored records into engine inputs, so every page, API endpoint and job
assesses a case the same way.
"""
