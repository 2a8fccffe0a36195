"""Emulation-cluster reporting: periods, versioned templates, union reports, review and rollups."""
