"""File handling: the one atomic writer, the one hasher, project paths, processed tables, raw-
folder manifests."""
