# mockapi, the OpenAI API mock, as an image: `docker build -t mockapi .` then
# `docker run -p 8000:8000 mockapi` and point OPENAI_BASE_URL at http://localhost:8000/v1.
# Configuration is by MOCKAPI_* environment variables; see docs/docker.md.

ARG PYTHON_IMAGE=python:3.12-slim-bookworm

# Stage 1: build the wheel (setup.py copies the contract and the fixtures into it as mockapi/data, and compiles
# the hot path with mypyc: that needs a C compiler here, never in the runtime stage).
FROM ${PYTHON_IMAGE} AS build
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY contracts ./contracts
COPY fixtures ./fixtures
COPY mockapi ./mockapi
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# Stage 2: a slim runtime with only the installed wheel, running as a non-root user.
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --find-links /wheels "$(ls /wheels/mockapi-*.whl)[fast,redis]" \
    && rm -rf /wheels \
    && useradd --system --uid 10001 --user-group --create-home mockapi \
    && mkdir -p /fixtures \
    && chown mockapi:mockapi /fixtures
# Binding every interface is right inside a container only; outside, mockapi defaults to 127.0.0.1.
ENV MOCKAPI_HOST=0.0.0.0 \
    MOCKAPI_PORT=8000 \
    MOCKAPI_SEED=0 \
    MOCKAPI_STORE=memory \
    MOCKAPI_WORKERS=1 \
    MOCKAPI_FIXTURES=/fixtures
# Canned replies (*.yaml, *.yml, *.json) mounted here are loaded at start.
VOLUME ["/fixtures"]
# The numeric id of the `mockapi` user created above, so hosts and Kubernetes can check it is not root.
USER 10001:10001
WORKDIR /home/mockapi
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["python", "-m", "mockapi.doors.healthcheck"]
ENTRYPOINT ["mockapi"]
CMD ["serve"]
