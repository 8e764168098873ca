"""Ledgers (台账) as .xlsx, streamed from the database to a temporary file in openpyxl's
write-only mode and from there to the client: no more than one batch of rows is held in memory."""
