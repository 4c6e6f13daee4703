"""The core: the engine, the contract, errors, settings, clock, determinism, stores and results.

Nothing here knows an API family, a door or the traffic layer: those register with the engine."""
