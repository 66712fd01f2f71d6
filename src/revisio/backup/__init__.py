"""Keeping data safe: backups and restores, the check and sweep of stored files, and recovery after a crash.

Plain modules, not a Django app: they have no models of their own and work on every app's.
"""
