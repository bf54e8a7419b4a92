# The app's image: dependencies installed once, at build (npm ci), on Node 24
# LTS; runs as the unprivileged "node" user. The code runs as TypeScript
# through tsx, as `npm start` does.
FROM node:24.11.1-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# patches/: a fix to postgres.js applied at install (patch-package; porsager/postgres #1208)
COPY patches ./patches
RUN npm ci --no-audit --no-fund

FROM node:24.11.1-bookworm-slim
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY templates ./templates
COPY drizzle ./drizzle
COPY authorities ./authorities
COPY demo ./demo
RUN mkdir -p /app/data /app/outbox && chown -R node:node /app/data /app/outbox
USER node
ENV NODE_OPTIONS=--enable-source-maps
EXPOSE 3000 9464
CMD ["node", "--import", "tsx", "src/main.ts"]
