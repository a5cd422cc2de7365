# syntax=docker/dockerfile:1
# faqbot: build a static binary with the Go image, run it on distroless as a
# non-root user. The FAQ and the web chat are embedded in the binary.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags="-s -w" -o /out/faqbot ./cmd/faqbot \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/faqbot /faqbot
# The data dir holds the index manifest, the embedding cache and the
# feedback and escalation records; mount a volume to keep them.
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV FAQBOT_ADDR=:8080 \
    FAQBOT_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
# distroless has no shell or curl: the binary probes itself. Orchestrators
# should probe GET /healthz (liveness) and GET /readyz (index loaded) instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/faqbot", "healthcheck"]
# faqbot drains in-flight answers for up to 25 s on SIGTERM: run with
# `docker run --stop-timeout 30` (Docker's default is 10 s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/faqbot"]
CMD ["serve"]
