"""The static portal: Pelican generator, page data and build entry point."""
