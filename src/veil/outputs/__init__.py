"""Each module plans the outputs of one kind from the site's already-filtered collections."""
