"""Find partners: an organisation's ranked matches in the directory the site's administrators loaded."""
