"""Stage 4, the coverage report: findings (untranslated, added, numbers that differ...) and its HTML page."""
