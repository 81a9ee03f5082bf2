"""PDF documents from the canteen's records (ReportLab): the inspection archive, the daily sheet,
sample labels and the monthly ledger disclosure. Imports `canteen`, never `ui`."""
