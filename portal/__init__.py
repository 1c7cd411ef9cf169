"""
The parents' door: their pages, invitations and accounts, what they send the
setting, and the copy of the file as a PDF. No models of its own: what a parent
may see is decided by access (access/selectors/portal.py).
"""
