# Runs the README's worker example (worker.mjs) in workerd: `workerd test`
# calls the test handler of _example-test.mjs, which fetches from the example
# through a service binding. The bare specifier 'websocket-server' is a module
# name here, as a bundler (wrangler) would resolve it from node_modules.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "example", worker = .example),
    (name = "tester", worker = .tester),
  ],
);

const example :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "websocket-server", esModule = embed "node_modules/websocket-server/dist/index.js"),
  ],
  compatibilityDate = "2025-01-01",
);

const tester :Workerd.Worker = (
  modules = [(name = "tester.mjs", esModule = embed "_example-test.mjs")],
  bindings = [(name = "EXAMPLE", service = "example")],
  compatibilityDate = "2025-01-01",
);
