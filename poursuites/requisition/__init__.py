"""The réquisition de poursuite filled online, printed with a signed code for the guichet."""
