"""Machine-to-machine job: reads upcoming events through the API with a client-credentials token."""
