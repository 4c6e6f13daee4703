"""The stateful platform (files, uploads, vector stores, Assistants v2), free of any transport.

Resource modules under ``mockapi.resources`` parse a call, hand it to these modules and render
what they return. Every object lives in the engine's store, per tenant, so several workers
sharing one store (Redis) see the same objects and the same run progress.
"""
