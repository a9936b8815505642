# syntax=docker/dockerfile:1
ARG BASE=debian:12
FROM ${BASE} AS build
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl
COPY --chown=app:app . /src
RUN <<EOT
set -e
setcap cap_net_bind_service=+ep /usr/bin/app
EOT
FROM scratch
COPY --from=build /src /app
USER 0:0
EXPOSE 80/tcp 8080
ENTRYPOINT ["/app/run", "--port", "80"]
