"""The user guide (docs/guide/, in French), served to signed-in users under « Aide »."""
