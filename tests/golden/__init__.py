"""Golden HTML: every page and fragment the course writes, rendered from small fixed
inputs, kept byte for byte in this folder. `make golden` refreshes the files."""
