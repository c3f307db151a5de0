// The storm's sender, in a process of its own: the bench process also runs the store emulator,
// which serves the other shop's import during the storm; sharing its event loop would add the
// emulator's work to every measured acknowledgement. It stays up for every pass (so the
// baseline's passes are sent by a warm client too). Each IPC message {origin, concurrency, file}
// names a JSON file of deliveries; it sends them with `concurrency` requests in flight over
// keep-alive connections and answers {latencies (ms), perSecond, failures}.
import { readFileSync } from "node:fs";
import { Pool } from "undici";

async function send({ origin, concurrency, file }) {
  const deliveries = JSON.parse(readFileSync(file, "utf8"));
  // The file is tens of MB: collect what parsing it left behind now, so the sender's own garbage
  // collection does not land in the first measured requests (spawned with --expose-gc).
  globalThis.gc?.();
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  const latencies = [];
  const failures = [];
  let next = 0;
  const started = performance.now();
  const sender = async () => {
    for (let index = next++; index < deliveries.length; index = next++) {
      const { path, headers, body } = deliveries[index];
      const sent = performance.now();
      const response = await pool.request({ path, method: "POST", headers, body });
      const text = await response.body.text();
      latencies.push(performance.now() - sent);
      if (response.statusCode !== 200) failures.push(`${path} answered ${response.statusCode}: ${text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  const perSecond = deliveries.length / ((performance.now() - started) / 1000);
  await pool.close();
  return { latencies, perSecond, failures };
}

process.on("message", (job) => {
  send(job).then(
    (result) => process.send(result),
    (error) => process.send({ error: String(error?.stack ?? error) }),
  );
});
process.on("disconnect", () => process.exit(0));
