# syntax=docker/dockerfile:1
# The nvme-lm-operator image for those who build with Docker or BuildKit, equivalent to what build/images.sh writes without a
# daemon (tests/NvmeLm.Images.Tests compares user, entrypoint, working directory, ports, environment and labels):
# build/publish.sh in the .NET SDK image, a base of exactly the libraries the binary needs from Debian 12's
# packages (build/base-rootfs.sh), nothing else — no shell at run time.
#   docker build -f build/operator.Dockerfile --build-arg REVISION=$(git rev-parse HEAD) -t REGISTRY/REPO/nvme-lm-operator:0.1.0 .
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG DEBIAN_IMAGE=debian:12-slim

FROM ${SDK_IMAGE} AS publish
WORKDIR /src
COPY . .
RUN bash build/publish.sh operator /out

FROM ${DEBIAN_IMAGE} AS base
RUN apt-get update && apt-get install -y --no-install-recommends libssl3 libstdc++6 libgcc-s1 && rm -rf /var/lib/apt/lists/*
COPY build/base-rootfs.sh /base-rootfs.sh
COPY --from=publish /out/ /out/
RUN bash /base-rootfs.sh /rootfs /out/NvmeLm.Operator

FROM scratch
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=https://github.com/nvmelm/nvme-lm-operator
COPY --from=base /rootfs/ /
COPY --from=publish /out/NvmeLm.Operator /app/NvmeLm.Operator
USER 65532:65532
WORKDIR /app
EXPOSE 8080/tcp
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
LABEL org.opencontainers.image.title="nvme-lm-operator" \
      org.opencontainers.image.description="NvmeLmOperator operator: renders NvmeVfPools onto NvmeNodes and runs NvmeMigrations with rollback" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
ENTRYPOINT ["/app/NvmeLm.Operator"]
