# syntax=docker/dockerfile:1
# imglint in a container: `docker run --rm -v "$PWD:/src" imglint Dockerfile`.
# Build stage: the Debian 12 toolchain and -dev packages (scripts/quickstart.sh).
FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config libarchive-dev nlohmann-json3-dev libyaml-cpp-dev \
      libre2-dev libcli11-dev libssl-dev libzstd-dev zlib1g-dev libisal-dev libcurl4-openssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DIMGLINT_BUILD_TESTS=OFF \
 && cmake --build /build -j"$(nproc)" --target imglint \
 && strip /build/cli/imglint

# Runtime stage: only the shared libraries imglint links against, libcurl
# (loaded when a target is a registry or daemon image) and the CAs it trusts.
FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libarchive13 libyaml-cpp0.7 libre2-9 libssl3 libzstd1 libisal2 libcurl4 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /build/cli/imglint /usr/local/bin/imglint
# A fixed numeric uid/gid that exists nowhere else: runAsNonRoot can verify it
# and files it writes into a mounted workspace are not owned by root.
USER 10001:10001
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/imglint"]
CMD ["--help"]
