"""The 2025 reorganisation: merging unions into a successor (moving their content, keeping their history and
every public URL). See app/reorg/services.py."""
