"""Views, split by who uses them; each module stays thin and calls the workflow."""
