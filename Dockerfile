# The app's image, in two stages. The first installs every dependency and runs
# npm run build: the bundle in dist/, with MJML's output, the bank holidays and
# an empty embedded database beside it. The second holds dist/, the files the
# app reads at run time and the production dependencies only, and runs as the
# unprivileged "node" user. Node 24 LTS, pinned by digest (the tag says which).
ARG NODE_IMAGE=node:24-bookworm-slim@sha256:235600a8101ab264e117b1768e925532262668dc9b581ef1dd7d96ced463b8e7

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# patches/: a fix to postgres.js (patch-package; porsager/postgres #1208). Scripts
# are off here because "prepare" builds, and the sources are not in yet.
COPY patches ./patches
RUN npm ci --no-audit --no-fund --ignore-scripts && npx patch-package
COPY tsconfig.json tsup.config.ts ./
COPY src ./src
COPY templates ./templates
COPY drizzle ./drizzle
COPY authorities ./authorities
COPY demo/directories ./demo/directories
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    # inside the container; compose publishes the port on the host's loopback only
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY templates ./templates
COPY drizzle ./drizzle
COPY authorities ./authorities
COPY demo/directories ./demo/directories
RUN mkdir -p /app/data /app/outbox && chown node:node /app/data /app/outbox
USER node
EXPOSE 3000 9464
# the flags npm start gives node: a small young generation (the app idles at ~140 MB), and a
# heap that grows to twice what is live before a full collection, not four times (a peak
# under 250 MB while the worker arms 100,000 jobs)
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=100", "--enable-source-maps", "dist/main.js"]
