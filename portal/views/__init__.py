"""The portal's pages (for parents and carers), its welcome page, and the staff side of invitations."""
