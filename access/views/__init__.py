"""The access pages: the Access tab and grants, asking for access, and the audit pages."""
