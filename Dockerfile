# syntax=docker/dockerfile:1
# source-concur: the Airbyte source for SAP Concur. Multi-stage: build with dev dependencies, ship without them.
# Node 26 is the Active LTS line (since 2026-10); the code runs on Node 20 and later (package.json engines).
ARG NODE_IMAGE=node:26-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /build
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY simulator/tsconfig.json simulator/tsconfig.json
COPY src src
COPY simulator/src simulator/src
# The build also compiles each stream's record checks from its schema (scripts/build-validators.mjs).
COPY schemas schemas
COPY scripts/build-validators.mjs scripts/bundle.mjs scripts/
RUN npm ci --ignore-scripts && npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /airbyte/integration_code
COPY --from=build /build/node_modules node_modules
COPY --from=build /build/dist dist
COPY --from=build /build/simulator/dist simulator/dist
COPY package.json spec.json ./
COPY bin bin
COPY simulator/bin simulator/bin
COPY schemas schemas
COPY docker/entrypoint.sh docker/entrypoint.sh
USER node
# The platform ignores ENTRYPOINT on Kubernetes and runs $AIRBYTE_ENTRYPOINT; both must say the same.
ENV AIRBYTE_ENTRYPOINT="/airbyte/integration_code/docker/entrypoint.sh"
ENTRYPOINT ["/airbyte/integration_code/docker/entrypoint.sh"]
LABEL io.airbyte.name="ghcr.io/source-concur/source-concur"
LABEL io.airbyte.version="0.2.0"
LABEL org.opencontainers.image.source="https://github.com/source-concur/source-concur"
LABEL org.opencontainers.image.licenses="MIT"
