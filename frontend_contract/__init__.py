"""The frontend contract: the generated SDL, the operations the SPA sends, their checks, the demo SPA."""
