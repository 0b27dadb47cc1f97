# workerd test config: copied into the stage folder next to worker.mjs, unit.mjs
# and the entries' bundles dist/*.js that unit specs import (embed paths are relative to this file). No compatibility
# flags: in particular no nodejs_compat, so the bundle gets no `process`,
# `Buffer` or `node:` modules, as on a plain Cloudflare worker.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "unit", worker = .unitWorker)],
);

const unitWorker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "unit.mjs", esModule = embed "unit.mjs"),
    (name = "dist/index.js", esModule = embed "dist/index.js"),
    (name = "dist/connection.js", esModule = embed "dist/connection.js"),
    (name = "dist/permessage-deflate.js", esModule = embed "dist/permessage-deflate.js"),
    (name = "dist/testing.js", esModule = embed "dist/testing.js"),
  ],
  compatibilityDate = "2025-01-01",
);
