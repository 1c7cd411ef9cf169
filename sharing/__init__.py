"""Information leaving the setting: consents, the recipients directory, disclosures,
requests for information and decisions not to share, bulk exports (docs/sharing.md)."""
