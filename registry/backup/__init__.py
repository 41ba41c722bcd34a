"""backup DIR: a consistent copy of the database and of every stored document, with a manifest."""
