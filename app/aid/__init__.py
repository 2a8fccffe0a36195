"""Foreign-NGO aid registry (viện trợ PCPNN): donors, projects, transactions, IATI export."""
