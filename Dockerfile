# Pulso's production image: built from exactly the scripts the tests run (`npm run build`, then
# scripts/assemble-release.mjs, whose folder test/release-folder.test.ts starts and checks).
# See README.md, "Operating Pulso": what was and was not run on our machines.
# Node 24, a maintained LTS release: Pulso needs 20.19 or newer, but Node 20 reached its end of life
# in April 2026. test/release-folder.test.ts runs the release folder on this major as well as on
# the Node running the tests (test/support/image-node.ts names the exact release).

# --- build: install from the lockfile, generate, compile ---------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /src
# CI=true makes the install use the lockfile as is (pnpm --frozen-lockfile).
ENV CI=true
COPY . .
RUN npm run build && node scripts/assemble-release.mjs /release

# --- run: the release folder only, as an unprivileged user ---------------------------------------
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    PULSO_DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /release /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Node directly (no npm in between), so SIGTERM reaches the server and it shuts down cleanly.
CMD ["node", "apps/server/dist/main.mjs"]
