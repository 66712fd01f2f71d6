"""Evidence dossiers: a bilingual PDF of the whole case, a ZIP of the original files with a SHA-256
manifest, and a prefilled draft of K-medi's account of the medical accident, built in the background."""
