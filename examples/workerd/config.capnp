# Runs examples/workerd/client.js in workerd on http://127.0.0.1:8787/:
#
#   node build.mjs && node_modules/.bin/workerd serve examples/workerd/config.capnp
#   curl 'http://127.0.0.1:8787/?url=ws://127.0.0.1:8080/&text=hello'
#
# The modules are named by their paths from the repository's root, so that the
# worker's relative import of ../../dist/web.js resolves as it does on disk
# (dist/web.js imports ./connection.js and ./index.js, embedded too). Its connect() goes out
# through the "internet" service, which here may reach this machine's own
# addresses (workerd's default allows only public ones).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "client", worker = .client),
    (name = "internet", network = (allow = ["public", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "client")],
);

const client :Workerd.Worker = (
  modules = [
    (name = "examples/workerd/client.js", esModule = embed "client.js"),
    (name = "dist/web.js", esModule = embed "../../dist/web.js"),
    (name = "dist/connection.js", esModule = embed "../../dist/connection.js"),
    (name = "dist/index.js", esModule = embed "../../dist/index.js"),
  ],
  bindings = [(name = "WS_URL", text = "ws://127.0.0.1:8080/")],
  compatibilityDate = "2025-01-01",
);
