"""Forms, one module per area; they validate input, the workflow enforces the rules."""
