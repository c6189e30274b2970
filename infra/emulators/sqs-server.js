// Starts the SQS emulator (npm local-aws-sqs, installed by `make tools` into .tools/) on 127.0.0.1.
// Usage: node sqs-server.js <repo root> <port>
const path = require("path");
const [root, port] = process.argv.slice(2);
const { createSqsServer } = require(path.join(root, ".tools", "node_modules", "local-aws-sqs"));
createSqsServer({
  port: Number(port),
  hostname: "127.0.0.1",
  region: "eu-west-2",
  accountId: "000000000000",
  emulateQueueCreationLifecycle: false,
}).then(
  () => console.log(`sqs emulator listening on 127.0.0.1:${port}`),
  (err) => { console.error(err); process.exit(1); },
);
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
