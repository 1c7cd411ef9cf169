"""The setting's governance: policies adopted, read and acknowledged, induction and
training, and the trustees' pages (docs/governance.md)."""
