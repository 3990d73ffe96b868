"""One module per screen (app modes) and the modal dialogs they open."""
