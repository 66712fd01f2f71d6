"""The audit trail: every read and write of case data, every sign-in, in append-only hash chains.

``docs/audit.md`` describes what is recorded, the chains, verification, redaction and the limits.
The core (models, services, selectors, chain, context, middleware) imports nothing of ``revisio.cases``:
it stores case IDs, so cases depend on the audit trail and never the other way round.
"""
