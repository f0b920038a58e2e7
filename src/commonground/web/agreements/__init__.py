"""Partnership agreements in the workspace: the document partners edit, its versions and sign-off."""
