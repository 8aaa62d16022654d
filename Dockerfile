# syntax=docker/dockerfile:1

# Build stage: a static, stripped binary.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/kvrpcd ./cmd/kvrpcd

# Final stage: no shell, no package manager, runs as an unprivileged user.
# Protected mode refuses remote clients until a password is set, e.g.
#   docker run -p 6379:6379 kvrpcd --requirepass secret
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kvrpcd /usr/local/bin/kvrpcd
USER nonroot:nonroot
EXPOSE 6379
ENTRYPOINT ["/usr/local/bin/kvrpcd", "--bind", "0.0.0.0", "--protected-mode", "yes"]
