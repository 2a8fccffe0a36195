"""Editorial work in the staff console: revisions of articles and pages, readable diffs, restore."""
