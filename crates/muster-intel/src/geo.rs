//! US geography and contact data: ZIP codes, time zones, area codes, distances, disposable email domains (in progress).
