"""Every way into the engine: the Starlette app, the in-process httpx transports, the
request interceptor, the live server and Docker's health check."""
